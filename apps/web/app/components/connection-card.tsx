import type { ReactNode } from "react";
import { ConnectionDisconnectOutcome } from "./connection-disconnect.tsx";
import { ConnectionStatus, type ChannelConnectionView } from "./connection-status.tsx";

/** The frame every channel card shares: its title and status badge above what the channel adds. */
export function ConnectionCard({ connection, title, children }: { connection: ChannelConnectionView; title: string; children: ReactNode }) {
  const titleId = `${connection.channel}-title`;
  return (
    <section className="card connection" aria-labelledby={titleId} data-testid={`connection-${connection.channel}`}>
      <header className="connection__header">
        <h2 id={titleId}>{title}</h2>
        <ConnectionStatus connection={connection} />
      </header>
      {children}
      <ConnectionDisconnectOutcome channel={connection.channel} />
    </section>
  );
}
