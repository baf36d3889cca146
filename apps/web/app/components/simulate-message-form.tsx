import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { STALE_SANDBOX_NOTE } from "../connections/sandbox-note.ts";
import { CHANNEL_NAMES } from "../leads/lead-labels.ts";
import type { action as dashboardHomeAction } from "../routes/dashboard._index.tsx";
import { FormField, TextField } from "./form-field.tsx";

type SimulatedChannel = "instagram" | "whatsapp" | "email";

/**
 * Sends a message through the same capture as a real webhook, so an owner sees a lead arrive
 * (live, in the list above) before connecting any channel. A channel connected to this
 * `pnpm dev` run's local fake is offered too: the AI's reply then goes out to that fake.
 */
export function SimulateMessageForm({ channels, staleChannels }: { channels: SimulatedChannel[]; staleChannels: SimulatedChannel[] }) {
  const fetcher = useFetcher<typeof dashboardHomeAction>();
  const formRef = useRef<HTMLFormElement>(null);
  const sending = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const failure = result && !result.ok ? result : null;
  const errors = failure ? failure.errors : { name: [], text: [] };

  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);

  return (
    <section className="card" aria-labelledby="simulate-title">
      <h2 id="simulate-title">Simulate a message</h2>
      <p className="muted">
        Pretend someone wrote to you: the message goes through the same capture as Instagram, WhatsApp and email.
      </p>
      {staleChannels.length > 0 ? (
        <p className="muted" data-testid="simulate-stale-note">
          {staleChannels.map((channel) => CHANNEL_NAMES[channel]).join(", ")}: {STALE_SANDBOX_NOTE}
        </p>
      ) : null}
      <fetcher.Form ref={formRef} method="post" action="/dashboard?index" className="simulate">
        <FormField id="simulate-channel" label="Channel to simulate" hint="Sandbox, or a channel connected to this run's local test fake (replies go to the fake).">
          {(control) => (
            <select {...control} name="channel" defaultValue="sandbox">
              <option value="sandbox">{CHANNEL_NAMES.sandbox}</option>
              {channels.map((channel) => (
                <option key={channel} value={channel}>
                  {CHANNEL_NAMES[channel]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <TextField id="simulate-name" name="name" label="Their name" required maxLength={80} autoComplete="off" error={errors.name[0]} />
        <FormField id="simulate-text" label="Message" error={errors.text[0]}>
          {(control) => <textarea {...control} name="text" required maxLength={2000} rows={3} />}
        </FormField>
        <button type="submit" className="button button--primary" disabled={sending} aria-busy={sending}>
          {sending ? "Sending…" : "Send test message"}
        </button>
        {failure?.formError ? (
          <p role="alert" className="field-error">
            {failure.formError}
          </p>
        ) : null}
        {result?.ok ? (
          <p role="status" className="simulate__done">
            Captured a message from {result.name}. <Link to={`/dashboard/leads/${result.leadId}`}>Open the conversation</Link>
          </p>
        ) : null}
      </fetcher.Form>
    </section>
  );
}
