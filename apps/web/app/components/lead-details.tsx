import type { RouterOutputs } from "@audnix/api/client";
import { useFetcher } from "@remix-run/react";
import { CHANNEL_NAMES, STATUS_NAMES } from "../leads/lead-labels.ts";
import type { action as detailsAction } from "../routes/dashboard.leads.$leadId.details.ts";
import { FormField, TextField } from "./form-field.tsx";
import { LocalTime } from "./local-time.tsx";

type Lead = RouterOutputs["leads"]["byId"]["lead"];

/**
 * The lead's details in words ("Opted out on …", "AI paused by you on …"), and the form the owner
 * edits name, email, phone, tags and notes with (leads.update).
 */
export function LeadDetails({ lead }: { lead: Lead }) {
  const rows: [string, string | null][] = [
    ["Channel", CHANNEL_NAMES[lead.channel]],
    ["Status", STATUS_NAMES[lead.status]],
    ["Email", lead.email],
    ["Phone", lead.phone],
    ["Platform id", lead.externalId],
    ["Tags", lead.tags.length > 0 ? lead.tags.join(", ") : null],
  ];
  return (
    <section className="card" aria-labelledby="details-title" data-testid="lead-details">
      <h2 id="details-title">Details</h2>
      <dl className="details">
        {rows
          .filter((row): row is [string, string] => row[1] !== null)
          .map(([label, value]) => (
            <div key={label} className="details__row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        <div className="details__row">
          <dt>First seen</dt>
          <dd>
            <LocalTime date={lead.createdAt} />
          </dd>
        </div>
      </dl>
      {lead.optedOutAt ? (
        <p data-testid="lead-opted-out">
          Opted out on <LocalTime date={lead.optedOutAt} />: nothing more is sent to this lead.
        </p>
      ) : null}
      {lead.aiPausedAt ? (
        <p data-testid="lead-ai-paused">
          AI paused by you on <LocalTime date={lead.aiPausedAt} />.
        </p>
      ) : null}
      {lead.notes ? <p className="lead-notes">{lead.notes}</p> : null}
      <LeadDetailsForm lead={lead} />
    </section>
  );
}

function LeadDetailsForm({ lead }: { lead: Lead }) {
  const fetcher = useFetcher<typeof detailsAction>();
  const saving = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? result.errors : {};
  const id = (field: string) => `lead-details-${field}`;
  return (
    <details className="lead-details-edit">
      <summary className="button button--ghost">Edit details</summary>
      <fetcher.Form method="post" action={`/dashboard/leads/${lead.id}/details`} className="lead-details-edit__form" noValidate>
        <TextField id={id("name")} name="name" label="Name" defaultValue={lead.name ?? ""} maxLength={100} autoComplete="off" error={errors.name} />
        <TextField id={id("email")} name="email" type="email" label="Email" defaultValue={lead.email ?? ""} autoComplete="off" error={errors.email} />
        <TextField
          id={id("phone")}
          name="phone"
          type="tel"
          label="Phone"
          hint="With the country code, such as +49 151 12345678."
          defaultValue={lead.phone ?? ""}
          autoComplete="off"
          error={errors.phone}
        />
        <TextField
          id={id("tags")}
          name="tags"
          label="Tags"
          hint="Separated by commas; up to 20 tags of 40 characters."
          defaultValue={lead.tags.join(", ")}
          autoComplete="off"
          error={errors.tags}
        />
        <FormField id={id("notes")} label="Notes" hint="Only you see these; up to 5,000 characters." error={errors.notes}>
          {(control) => <textarea {...control} name="notes" rows={4} defaultValue={lead.notes ?? ""} />}
        </FormField>
        <button type="submit" className="button" disabled={saving} aria-busy={saving}>
          {saving ? "Saving…" : "Save details"}
        </button>
        {result?.ok ? (
          <p className="flash" role="status">
            {result.updated.length > 0 ? "Saved." : "Nothing changed."}
          </p>
        ) : null}
        {result && !result.ok && result.formError ? (
          <p className="flash flash--error" role="alert">
            {result.formError}
          </p>
        ) : null}
      </fetcher.Form>
    </details>
  );
}
