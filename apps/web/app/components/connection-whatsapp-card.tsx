import { useFetcher } from "@remix-run/react";
import type { action } from "../routes/dashboard.connections.tsx";
import { ConnectionDisconnect } from "./connection-disconnect.tsx";
import { ConnectionField } from "./connection-field.tsx";
import { ConnectionStatus, type ChannelConnectionView } from "./connection-status.tsx";

/** WhatsApp Cloud API: the owner pastes a phone number id and a token; we check them with Meta first. */
export function ConnectionWhatsappCard({ connection }: { connection: ChannelConnectionView }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" && fetcher.data?.intent === "connect-whatsapp" ? fetcher.data : undefined;
  const failure = result && !result.ok ? result : null;
  return (
    <section className="card connection" aria-labelledby="whatsapp-title" data-testid="connection-whatsapp">
      <header className="connection__header">
        <h2 id="whatsapp-title">WhatsApp</h2>
        <ConnectionStatus connection={connection} />
      </header>
      {connection.status === "not_connected" ? (
        <p className="muted">
          From Meta&apos;s developer dashboard (WhatsApp &gt; API setup), copy the phone number id and a permanent access token.
        </p>
      ) : (
        <p className="connection__account" data-testid="whatsapp-account">
          {connection.displayName} <span className="muted">· phone number id {connection.externalAccountId}</span>
        </p>
      )}
      {connection.status === "connected" ? null : (
        <fetcher.Form method="post" action="/dashboard/connections" className="connection__form" aria-label="Connect WhatsApp">
          <input type="hidden" name="intent" value="connect-whatsapp" />
          <ConnectionField
            id="whatsapp-phone-number-id"
            name="phoneNumberId"
            label="Phone number id"
            inputMode="numeric"
            autoComplete="off"
            required
            error={failure?.fieldErrors.phoneNumberId}
          />
          <ConnectionField
            id="whatsapp-access-token"
            name="accessToken"
            label="Access token"
            type="password"
            autoComplete="off"
            required
            error={failure?.fieldErrors.accessToken}
          />
          {failure?.formError ? (
            <p className="field-error" role="alert" data-testid="whatsapp-error">
              {failure.formError}
            </p>
          ) : null}
          <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
            {busy ? "Verifying…" : "Verify & connect"}
          </button>
        </fetcher.Form>
      )}
      {connection.status === "not_connected" ? null : (
        <div className="connection__actions">
          <ConnectionDisconnect channel="whatsapp" label="WhatsApp" />
        </div>
      )}
    </section>
  );
}
