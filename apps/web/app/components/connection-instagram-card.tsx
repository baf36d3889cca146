import { ConnectionCard } from "./connection-card.tsx";
import { ConnectionDisconnect } from "./connection-disconnect.tsx";
import type { ChannelConnectionView } from "./connection-status.tsx";

const CONNECT_URL = "/api/connect/instagram";

/** Instagram connects through Meta's consent screen (OAuth), so this card only links out. */
export function ConnectionInstagramCard({ connection, configured }: { connection: ChannelConnectionView; configured: boolean }) {
  const connected = connection.status !== "not_connected";
  return (
    <ConnectionCard connection={connection} title="Instagram">
      {connected ? (
        <p className="connection__account" data-testid="instagram-account">
          {connection.displayName}
        </p>
      ) : (
        <p className="muted">Connect your Instagram professional account: every DM it receives becomes a lead.</p>
      )}
      {configured ? (
        <div className="connection__actions">
          {connection.status === "connected" ? null : (
            // A full page load: the route answers with a redirect to Instagram.
            <a className="button button--primary" href={CONNECT_URL}>
              {connection.status === "needs_reconnect" ? "Reconnect Instagram" : "Connect Instagram"}
            </a>
          )}
          {connected ? <ConnectionDisconnect channel="instagram" label="Instagram" /> : null}
        </div>
      ) : (
        <div className="connection__actions">
          <button type="button" className="button button--primary" disabled aria-describedby="instagram-not-configured">
            Connect Instagram
          </button>
          <p id="instagram-not-configured" className="provider__note muted">
            Not configured: set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to enable.
          </p>
        </div>
      )}
    </ConnectionCard>
  );
}
