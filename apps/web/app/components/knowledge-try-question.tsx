import { useFetcher } from "@remix-run/react";
import type { action } from "../routes/dashboard.knowledge.tsx";
import { TextField } from "./form-field.tsx";

/**
 * Asks the knowledge base as a lead would and shows the passages search returns, the same search
 * the AI's replies draw on, with the source each passage comes from.
 */
export function KnowledgeTryQuestion({ queryMaxChars }: { queryMaxChars: number }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const failure = result && !result.ok ? result : null;
  const answer = result?.ok && result.intent === "search" ? result : null;

  return (
    <section className="card knowledge-try" aria-labelledby="try-title">
      <h2 id="try-title">Try a question</h2>
      <p className="muted">Ask as a customer would, in your own words: these are the passages the AI is given to answer from.</p>
      <fetcher.Form method="post" action="/dashboard/knowledge" className="knowledge-try__form" noValidate>
        <input type="hidden" name="intent" value="search" />
        <TextField
          id="try-query"
          name="query"
          label="Question"
          type="search"
          placeholder="Can I come by on a Sunday?"
          maxLength={queryMaxChars}
          autoComplete="off"
          required
          error={failure?.fieldErrors.query}
        />
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? "Searching…" : "Search knowledge"}
        </button>
      </fetcher.Form>
      {failure?.formError ? (
        <p role="alert" className="field-error">
          {failure.formError}
        </p>
      ) : null}
      {answer ? (
        answer.results.length === 0 ? (
          <p className="empty-state" role="status" data-testid="knowledge-no-results">
            Nothing you added matches “{answer.query}”: the AI would have no passage to answer it from.
          </p>
        ) : (
          <ol className="knowledge-results" aria-label={`Passages for “${answer.query}”`} data-testid="knowledge-results">
            {answer.results.map((passage, index) => (
              <li key={`${passage.documentId}-${index}`} className="knowledge-result" data-testid="knowledge-result">
                <p className="knowledge-result__source">
                  Source {index + 1}: <cite>{passage.title}</cite>
                </p>
                <blockquote className="knowledge-result__text">{passage.text}</blockquote>
              </li>
            ))}
          </ol>
        )
      ) : null}
    </section>
  );
}
