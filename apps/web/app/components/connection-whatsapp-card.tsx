import { ConnectionCard } from "./connection-card.tsx";
import { ConnectionCredentialsForm } from "./connection-credentials-form.tsx";
import { TextField } from "./form-field.tsx";
import type { ChannelConnectionView } from "./connection-status.tsx";

/** WhatsApp Cloud API: the owner pastes a phone number id and a token; we check them with Meta first. */
export function ConnectionWhatsappCard({ connection }: { connection: ChannelConnectionView }) {
  return (
    <ConnectionCard connection={connection} title="WhatsApp">
      {connection.status === "not_connected" ? (
        <p className="muted">
          From Meta&apos;s developer dashboard (WhatsApp &gt; API setup), copy the phone number id and a permanent access token.
        </p>
      ) : (
        <p className="connection__account" data-testid="whatsapp-account">
          {connection.displayName} <span className="muted">· phone number id {connection.externalAccountId}</span>
        </p>
      )}
      <ConnectionCredentialsForm
        channel="whatsapp"
        status={connection.status}
        label="WhatsApp"
        fields={(errors) => (
          <>
            <TextField
              id="whatsapp-phone-number-id"
              name="phoneNumberId"
              label="Phone number id"
              inputMode="numeric"
              autoComplete="off"
              required
              error={errors.phoneNumberId}
            />
            <TextField
              id="whatsapp-access-token"
              name="accessToken"
              label="Access token"
              type="password"
              autoComplete="off"
              required
              error={errors.accessToken}
            />
          </>
        )}
      />
    </ConnectionCard>
  );
}
