import { useFetcher } from "@remix-run/react";
import type { action } from "../routes/dashboard.connections.tsx";

type ConnectableChannel = "instagram" | "whatsapp" | "email";

// One fetcher per channel, shared by the button (gone once the channel is disconnected) and the
// announcement under the card (always there), so "Undo" outlives the button.
const fetcherKey = (channel: ConnectableChannel) => `disconnect-${channel}`;

/**
 * Disconnect asks first, inside a disclosure (works without JavaScript; a stray click changes
 * nothing). The channel stops at once; for a while "Undo" brings it back as it was.
 */
export function ConnectionDisconnect({ channel, label }: { channel: ConnectableChannel; label: string }) {
  const fetcher = useFetcher<typeof action>({ key: fetcherKey(channel) });
  const busy = fetcher.state !== "idle";
  return (
    <details className="confirm-step connection__disconnect">
      <summary className="button button--ghost">Disconnect {label}…</summary>
      <fetcher.Form method="post" action="/dashboard/connections" className="confirm-step__form" aria-label={`Disconnect ${label}`}>
        <input type="hidden" name="intent" value="disconnect" />
        <input type="hidden" name="channel" value={channel} />
        <p>
          Disconnect {label}? Audnix stops sending and receiving {label} messages at once. For 10 minutes you can undo this; then its
          credentials are erased.
        </p>
        <button type="submit" className="button button--danger" disabled={busy} aria-busy={busy}>
          {busy ? "Disconnecting…" : `Disconnect ${label}`}
        </button>
      </fetcher.Form>
    </details>
  );
}

/** What the last disconnect or undo of this channel did, announced, with "Undo" after a disconnect. */
export function ConnectionDisconnectOutcome({ channel }: { channel: ConnectableChannel }) {
  const fetcher = useFetcher<typeof action>({ key: fetcherKey(channel) });
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const failed = result && !result.ok ? result.formError : null;
  return (
    <div role="status" className="connection__outcome" data-testid={`${channel}-disconnect-outcome`}>
      {result?.ok && result.message ? (
        <div className="follow-up-panel__outcome-line">
          <p>{result.message}</p>
          {result.intent === "disconnect" ? (
            <fetcher.Form method="post" action="/dashboard/connections">
              <input type="hidden" name="intent" value="undo-disconnect" />
              <input type="hidden" name="channel" value={channel} />
              <button type="submit" className="button button--ghost" disabled={busy}>
                Undo
              </button>
            </fetcher.Form>
          ) : null}
        </div>
      ) : null}
      {failed ? <p className="field-error">{failed}</p> : null}
    </div>
  );
}
