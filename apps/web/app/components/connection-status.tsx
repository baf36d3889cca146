import type { SerializeFrom } from "@remix-run/node";
import { STALE_SANDBOX_NOTE } from "../connections/sandbox-note.ts";
import type { loader } from "../routes/dashboard.connections.tsx";

/** One channel's connection as the Connections page receives it (dates arrive as strings). */
export type ChannelConnectionView = SerializeFrom<typeof loader>["connections"][number];

const labels = { connected: "Connected", not_connected: "Not connected", needs_reconnect: "Needs reconnect" } as const;

/** The card's status badge, plus why it needs reconnecting when it does, or that its local fake is gone. */
export function ConnectionStatus({ connection }: { connection: ChannelConnectionView }) {
  return (
    <>
      <span className={`badge badge--${connection.status}`} data-testid={`${connection.channel}-status`}>
        {labels[connection.status]}
      </span>
      {connection.status === "needs_reconnect" && connection.reason ? (
        <p className="connection__reason" role="alert">
          {connection.reason}
        </p>
      ) : null}
      {connection.sandbox === "stale" ? (
        <p className="connection__reason" data-testid={`${connection.channel}-stale-sandbox`}>
          {STALE_SANDBOX_NOTE}
        </p>
      ) : null}
    </>
  );
}
