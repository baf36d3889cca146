import { ConnectionCard } from "./connection-card.tsx";
import { ConnectionCredentialsForm } from "./connection-credentials-form.tsx";
import type { ChannelConnectionView } from "./connection-status.tsx";
import { CopyableText } from "./copyable-text.tsx";
import { TextField } from "./form-field.tsx";

/**
 * Email: follow-ups leave through the owner's SMTP server; leads' mail arrives at the inbound address
 * Audnix assigned the account (never one the owner types: anyone could claim a business's address).
 */
export function ConnectionEmailCard({ connection, webhookUrl }: { connection: ChannelConnectionView; webhookUrl: string }) {
  const inbound = connection.email?.inboundAddress ?? null;
  return (
    <ConnectionCard connection={connection} title="Email">
      {connection.status === "not_connected" ? (
        <p className="muted">
          Follow-ups are sent through your own SMTP server. Connecting gives your account its own inbound address: forward your
          business mailbox to it and leads&apos; emails reach Audnix.
        </p>
      ) : (
        <dl className="details connection__details" data-testid="email-account">
          <div className="details__row">
            <dt>Sends as</dt>
            <dd>{connection.displayName}</dd>
          </div>
          {inbound ? (
            <div className="details__row">
              <dt>Inbound address</dt>
              <dd>
                <CopyableText value={inbound} label="inbound address" testId="email-inbound-address" />
              </dd>
            </div>
          ) : null}
        </dl>
      )}
      {inbound ? <InboundInstructions address={inbound} webhookUrl={webhookUrl} /> : null}
      <ConnectionCredentialsForm channel="email" status={connection.status} label="email" fields={(errors) => <EmailFields errors={errors} />} />
    </ConnectionCard>
  );
}

function InboundInstructions({ address, webhookUrl }: { address: string; webhookUrl: string }) {
  const domain = address.slice(address.lastIndexOf("@") + 1);
  return (
    <div className="connection__instructions" data-testid="email-instructions">
      <p>Forward your business mailbox to this address: every email your leads send there becomes a lead here.</p>
      <p className="muted">
        Once per deployment, a Mailgun route for <strong>{domain}</strong> must forward to:
      </p>
      <CopyableText value={webhookUrl} label="webhook URL" testId="email-webhook-url" />
    </div>
  );
}

function EmailFields({ errors }: { errors: Record<string, string> }) {
  return (
    <>
      <TextField id="email-from-address" name="fromAddress" label="From address" type="email" autoComplete="email" required error={errors.fromAddress} />
      <TextField id="email-from-name" name="fromName" label="From name (optional)" autoComplete="organization" maxLength={80} error={errors.fromName} />
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
