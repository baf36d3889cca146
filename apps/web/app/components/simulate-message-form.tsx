import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { action as dashboardHomeAction } from "../routes/dashboard._index.tsx";

/**
 * Sends a sandbox message through the same capture as a real webhook, so an owner sees a lead
 * arrive (live, in the list above) before connecting any channel.
 */
export function SimulateMessageForm() {
  const fetcher = useFetcher<typeof dashboardHomeAction>();
  const formRef = useRef<HTMLFormElement>(null);
  const sending = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : { name: [], text: [] };

  useEffect(() => {
    if (result?.ok) formRef.current?.reset();
  }, [result]);

  return (
    <section className="card" aria-labelledby="simulate-title">
      <h2 id="simulate-title">Simulate a message</h2>
      <p className="muted">
        Pretend someone wrote to you: the message goes through the same capture as Instagram, WhatsApp and email.
      </p>
      <fetcher.Form ref={formRef} method="post" action="/dashboard?index" className="simulate">
        <div className="field">
          <label htmlFor="simulate-name">Their name</label>
          <input
            id="simulate-name"
            name="name"
            required
            maxLength={80}
            autoComplete="off"
            aria-invalid={errors.name.length > 0 ? true : undefined}
            aria-describedby={errors.name.length > 0 ? "simulate-name-error" : undefined}
          />
          {errors.name.length > 0 ? (
            <p id="simulate-name-error" className="field-error">
              {errors.name[0]}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="simulate-text">Message</label>
          <textarea
            id="simulate-text"
            name="text"
            required
            maxLength={2000}
            rows={3}
            aria-invalid={errors.text.length > 0 ? true : undefined}
            aria-describedby={errors.text.length > 0 ? "simulate-text-error" : undefined}
          />
          {errors.text.length > 0 ? (
            <p id="simulate-text-error" className="field-error">
              {errors.text[0]}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--primary" disabled={sending} aria-busy={sending}>
          {sending ? "Sending…" : "Send test message"}
        </button>
        {result?.ok ? (
          <p role="status" className="simulate__done">
            Captured a message from {result.name}. <Link to={`/dashboard/leads/${result.leadId}`}>Open the conversation</Link>
          </p>
        ) : null}
      </fetcher.Form>
    </section>
  );
}
