import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef } from "react";
import type { LeadFactsActionResult, LeadFactView } from "../lead-facts/lead-facts.server.ts";
import { FormField } from "./form-field.tsx";

// What the lead told us, on the lead page: each fact in words with where it came from; the owner
// corrects a value, deletes a fact (after a confirmation) or adds one. Its data comes from its own
// resource route, so the page only places it.

const KIND_LABELS: Record<LeadFactView["kind"], string> = {
  preferred_name: "Preferred name",
  email: "Email",
  phone: "Phone (with country code)",
  location: "City",
  timezone: "Time zone (e.g. Europe/Berlin)",
  language: "Language (e.g. es, pt-BR)",
  interest: "Interested in",
  objection: "Objection",
  budget: "Budget",
};

type ListData = { facts: LeadFactView[] } | { error: string };

export function LeadFactsPanel({ leadId }: { leadId: string }) {
  const list = useFetcher<ListData>();
  const url = `/dashboard/leads/${leadId}/facts`;
  const { load } = list;
  // Loaded after the page: the conversation shows at once, the facts a moment later.
  useEffect(() => {
    load(url);
  }, [load, url]);

  const data = list.data;
  return (
    <section className="card lead-facts" aria-labelledby="lead-facts-title" data-testid="lead-facts-panel">
      <h2 id="lead-facts-title">What we know</h2>
      {data === undefined ? (
        <p className="muted" aria-busy="true">
          Loading what the lead told us…
        </p>
      ) : "error" in data ? (
        <p role="alert" className="field-error">
          The facts could not be loaded. Reload the page to try again.
        </p>
      ) : data.facts.length === 0 ? (
        <p className="empty-state">
          Nothing yet. Emails, phone numbers, names, cities, interests, objections and budgets the lead writes appear here.
        </p>
      ) : (
        <ul className="lead-facts__list">
          {data.facts.map((fact) => (
            <FactRow key={fact.id} fact={fact} url={url} />
          ))}
        </ul>
      )}
      <AddFact url={url} />
    </section>
  );
}

function failureOf(fetcher: ReturnType<typeof useFetcher<LeadFactsActionResult>>): string | null {
  return fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
}

function FactRow({ fact, url }: { fact: LeadFactView; url: string }) {
  const edit = useFetcher<LeadFactsActionResult>();
  const remove = useFetcher<LeadFactsActionResult>();
  const id = useId();
  const editError = failureOf(edit);
  const removeError = failureOf(remove);
  const saving = edit.state !== "idle";
  const deleting = remove.state !== "idle";
  return (
    <li className="lead-facts__item" data-testid="lead-fact">
      <p className="lead-facts__words">{fact.words}</p>
      <p className="muted lead-facts__origin">({fact.origin})</p>
      <div className="lead-facts__actions">
        <details>
          <summary className="button button--ghost">Edit</summary>
          <edit.Form method="post" action={url} className="lead-facts__form">
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="factId" value={fact.id} />
            <FormField id={`${id}-value`} label={KIND_LABELS[fact.kind]} error={editError ?? undefined}>
              {(control) => <input {...control} name="value" defaultValue={fact.value} required />}
            </FormField>
            <p className="field-hint muted">Your value is kept: later messages from the lead do not replace it.</p>
            <button type="submit" className="button button--primary" disabled={saving} aria-busy={saving}>
              {saving ? "Saving…" : "Save"}
            </button>
          </edit.Form>
        </details>
        <details>
          <summary className="button button--ghost">Delete…</summary>
          <remove.Form method="post" action={url} className="lead-facts__form">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="factId" value={fact.id} />
            <p>Delete “{fact.words}”? This cannot be undone. The lead’s email and phone fields stay as they are.</p>
            <button type="submit" className="button button--danger" disabled={deleting} aria-busy={deleting}>
              {deleting ? "Deleting…" : "Delete for good"}
            </button>
            {removeError ? (
              <p role="alert" className="field-error">
                {removeError}
              </p>
            ) : null}
          </remove.Form>
        </details>
      </div>
    </li>
  );
}

function AddFact({ url }: { url: string }) {
  const add = useFetcher<LeadFactsActionResult>();
  const id = useId();
  const error = failureOf(add);
  const busy = add.state !== "idle";
  const added = add.state === "idle" && add.data?.ok ? add.data.message : null;
  const form = useRef<HTMLFormElement>(null);
  // Added: the form empties for the next one (the Remix way: reset once the fetcher settles).
  useEffect(() => {
    if (added) form.current?.reset();
  }, [added, add.data]);
  return (
    <details className="lead-facts__add">
      <summary className="button button--ghost">Add a fact</summary>
      <add.Form ref={form} method="post" action={url} className="lead-facts__form">
        <input type="hidden" name="intent" value="add" />
        <FormField id={`${id}-kind`} label="Kind">
          {(control) => (
            <select {...control} name="kind" defaultValue="preferred_name">
              {Object.entries(KIND_LABELS).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id={`${id}-value`} label="Value" error={error ?? undefined}>
          {(control) => <input {...control} name="value" required />}
        </FormField>
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? "Adding…" : "Add"}
        </button>
        {added ? (
          <p role="status" className="muted">
            {added}
          </p>
        ) : null}
      </add.Form>
    </details>
  );
}
