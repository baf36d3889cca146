import type { SummaryForPage } from "../summaries/summary-text.server.ts";

/** A summary's text as the email has it: narrative, numbers, changes, highlights. */
export function SummaryBody({ body }: { body: NonNullable<SummaryForPage["body"]> }) {
  return (
    <div className="summary">
      <p className="muted">{body.period}</p>
      <p className="summary__narrative">{body.narrative}</p>
      <h2>The numbers</h2>
      <ul className="summary__list">
        {body.numbers.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {body.changes.length > 0 ? (
        <>
          <h2>{body.changesTitle}</h2>
          <ul className="summary__list">
            {body.changes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      {body.highlights.length > 0 ? (
        <>
          <h2>Highlights</h2>
          <ul className="summary__list">
            {body.highlights.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="muted">{body.writtenBy === "model" ? "The first paragraph was written by the AI from these numbers." : "The first paragraph is a template filled with these numbers."}</p>
    </div>
  );
}
