import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { KnowledgeField } from "../knowledge/knowledge-actions.server.ts";
import type { action } from "../routes/dashboard.knowledge.tsx";

export type KnowledgeFieldErrors = Partial<Record<KnowledgeField, string>>;

interface KnowledgeAddFormProps {
  /** The form's intent, and the prefix of its ids. */
  intent: string;
  title: string;
  description: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  /** Files travel as multipart; everything else as a plain form. */
  multipart?: boolean;
  /** Checks the browser can make before sending (a file over the size limit); a message stops the submit. */
  precheck?: (form: HTMLFormElement) => KnowledgeFieldErrors | null;
  /** The inputs, given the last attempt's complaint per field. */
  children: (errors: KnowledgeFieldErrors) => ReactNode;
}

/** One way to add knowledge: its fields, a pending button, the API's complaints and the success line. */
export function KnowledgeAddForm({ intent, title, description, submitLabel, pendingLabel, multipart, precheck, children }: KnowledgeAddFormProps) {
  const fetcher = useFetcher<typeof action>();
  const formRef = useRef<HTMLFormElement>(null);
  // What the browser refused before sending (the API never saw it); cleared by the next attempt.
  const [localErrors, setLocalErrors] = useState<KnowledgeFieldErrors | null>(null);
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const failure = result && !result.ok ? result : null;
  const success = result?.ok && result.intent === "add" ? result.message : null;
  const titleId = `${intent}-title`;

  useEffect(() => {
    if (success) formRef.current?.reset();
  }, [result, success]);

  return (
    <section className="card knowledge-add" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p className="muted">{description}</p>
      <fetcher.Form
        ref={formRef}
        method="post"
        action="/dashboard/knowledge"
        encType={multipart ? "multipart/form-data" : "application/x-www-form-urlencoded"}
        className="knowledge-add__form"
        aria-labelledby={titleId}
        noValidate
        onSubmit={(event) => {
          const refused = precheck?.(event.currentTarget) ?? null;
          setLocalErrors(refused);
          if (refused) event.preventDefault();
        }}
      >
        <input type="hidden" name="intent" value={intent} />
        {children(localErrors ?? failure?.fieldErrors ?? {})}
        <div className="knowledge-add__actions">
          <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
            {busy ? pendingLabel : submitLabel}
          </button>
        </div>
        {failure?.formError ? (
          <p role="alert" className="field-error">
            {failure.formError}
          </p>
        ) : null}
        {success ? (
          <p role="status" className="knowledge-add__done">
            {success}
          </p>
        ) : null}
      </fetcher.Form>
    </section>
  );
}
