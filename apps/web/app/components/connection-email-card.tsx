import { ConnectionCard } from "./connection-card.tsx";
import { ConnectionCredentialsForm } from "./connection-credentials-form.tsx";
import { TextField } from "./form-field.tsx";
import type { ChannelConnectionView } from "./connection-status.tsx";

/** Email: follow-ups leave through the owner's SMTP server; replies arrive through the inbound route. */
export function ConnectionEmailCard({ connection }: { connection: ChannelConnectionView }) {
  return (
    <ConnectionCard connection={connection} title="Email">
      {connection.status === "not_connected" ? (
        <p className="muted">
          Follow-ups are sent through your own SMTP server; leads&apos; emails reach Audnix through your inbound route.
        </p>
      ) : (
        <dl className="details connection__details" data-testid="email-account">
          <div className="details__row">
            <dt>Sends as</dt>
            <dd>{connection.displayName}</dd>
          </div>
          {connection.email ? (
            <div className="details__row">
              <dt>Inbound address</dt>
              <dd>{connection.email.inboundAddress}</dd>
            </div>
          ) : null}
        </dl>
      )}
      <ConnectionCredentialsForm channel="email" status={connection.status} label="email" fields={(errors) => <EmailFields errors={errors} />} />
    </ConnectionCard>
  );
}

function EmailFields({ errors }: { errors: Record<string, string> }) {
  return (
    <>
      <TextField id="email-from-address" name="fromAddress" label="From address" type="email" autoComplete="email" required error={errors.fromAddress} />
      <TextField id="email-from-name" name="fromName" label="From name (optional)" autoComplete="organization" maxLength={80} error={errors.fromName} />
      <TextField
        id="email-inbound-address"
        name="inboundAddress"
        label="Inbound address"
        type="email"
        autoComplete="off"
        required
        hint="The address your inbound route (e.g. Mailgun) receives leads' emails on."
        error={errors.inboundAddress}
      />
      <fieldset className="connection__smtp">
        <legend>SMTP server</legend>
        <TextField id="email-smtp-host" name="smtpHost" label="Host" placeholder="smtp.example.com" autoComplete="off" required error={errors.smtpHost} />
        <TextField id="email-smtp-port" name="smtpPort" label="Port" type="number" min={1} max={65535} defaultValue={587} required error={errors.smtpPort} />
        <div className="field field--checkbox">
          <input id="email-smtp-secure" name="smtpSecure" type="checkbox" />
          <label htmlFor="email-smtp-secure">Use TLS from the start (port 465)</label>
        </div>
        <TextField id="email-smtp-user" name="smtpUser" label="User name" autoComplete="off" required error={errors.smtpUser} />
        <TextField id="email-smtp-password" name="smtpPassword" label="Password" type="password" autoComplete="off" required error={errors.smtpPassword} />
      </fieldset>
    </>
  );
}
