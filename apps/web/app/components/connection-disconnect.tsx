import { useFetcher } from "@remix-run/react";
import type { action } from "../routes/dashboard.connections.tsx";

/** Disconnects one channel: Audnix forgets its credentials and stops sending there. */
export function ConnectionDisconnect({ channel, label }: { channel: "instagram" | "whatsapp" | "email"; label: string }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const failed = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.formError : null;
  return (
    <fetcher.Form method="post" action="/dashboard/connections" className="connection__disconnect">
      <input type="hidden" name="intent" value="disconnect" />
      <input type="hidden" name="channel" value={channel} />
      <button type="submit" className="button button--ghost" disabled={busy} aria-busy={busy}>
        {busy ? "Disconnecting…" : `Disconnect ${label}`}
      </button>
      {failed ? (
        <p className="field-error" role="alert">
          {failed}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
