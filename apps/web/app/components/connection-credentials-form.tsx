import { useFetcher } from "@remix-run/react";
import type { ReactNode } from "react";
import type { action, ConnectionFormIntent } from "../routes/dashboard.connections.tsx";
import { ConnectionDisconnect } from "./connection-disconnect.tsx";
import type { ChannelConnectionView } from "./connection-status.tsx";

interface ConnectionCredentialsFormProps {
  channel: "whatsapp" | "email";
  status: ChannelConnectionView["status"];
  /** How the page names the channel in a sentence ("Connect email", "Disconnect WhatsApp"). */
  label: string;
  /** The channel's inputs, given the api's complaint per field from the last attempt. */
  fields: (errors: Record<string, string>) => ReactNode;
}

/**
 * Connect and disconnect for a channel whose owner pastes credentials: the form (checked with the
 * vendor on submit, hence "Verifying…") until the channel is connected, Disconnect once it is set up.
 */
export function ConnectionCredentialsForm({ channel, status, label, fields }: ConnectionCredentialsFormProps) {
  const fetcher = useFetcher<typeof action>();
  const intent: ConnectionFormIntent = `connect-${channel}`;
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" && fetcher.data?.intent === intent ? fetcher.data : undefined;
  const failure = result && !result.ok ? result : null;
  return (
    <>
      {status === "connected" ? null : (
        <fetcher.Form method="post" action="/dashboard/connections" className="connection__form" aria-label={`Connect ${label}`}>
          <input type="hidden" name="intent" value={intent} />
          {fields(failure?.fieldErrors ?? {})}
          {failure?.formError ? (
            <p className="field-error" role="alert" data-testid={`${channel}-error`}>
              {failure.formError}
            </p>
          ) : null}
          <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
            {busy ? "Verifying…" : "Verify & connect"}
          </button>
        </fetcher.Form>
      )}
      {status === "not_connected" ? null : (
        <div className="connection__actions">
          <ConnectionDisconnect channel={channel} label={label} />
        </div>
      )}
    </>
  );
}
