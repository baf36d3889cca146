import type { RouterOutputs } from "@audnix/api/client";
import { useFetcher } from "@remix-run/react";
import { formatBytes, formatCount, KIND_NAMES, STATUS_NAMES } from "../knowledge/knowledge-labels.ts";
import type { action } from "../routes/dashboard.knowledge.tsx";
import { LocalTime } from "./local-time.tsx";

type KnowledgeSource = RouterOutputs["knowledge"]["list"]["documents"][number];

/** Everything the owner has added, newest first, with what became of it. */
export function KnowledgeSourceList({ sources }: { sources: KnowledgeSource[] }) {
  return (
    <ul className="knowledge-sources" aria-label="Knowledge sources">
      {sources.map((source) => (
        <KnowledgeSourceRow key={source.id} source={source} />
      ))}
    </ul>
  );
}

function KnowledgeSourceRow({ source }: { source: KnowledgeSource }) {
  const titleId = `source-${source.id}`;
  return (
    <li className="knowledge-source" aria-labelledby={titleId} data-testid="knowledge-source">
      <div className="knowledge-source__head">
        <span id={titleId} className="knowledge-source__title">
          {source.title}
        </span>
        <span className={`badge badge--${source.status}`} data-testid="knowledge-status">
          {STATUS_NAMES[source.status]}
        </span>
      </div>
      {source.sourceUrl ? (
        <p className="knowledge-source__origin">
          <a href={source.sourceUrl} rel="noreferrer noopener" target="_blank">
            {source.sourceUrl}
          </a>
        </p>
      ) : source.filename && source.filename !== source.title ? (
        <p className="knowledge-source__origin muted">{source.filename}</p>
      ) : null}
      <p className="knowledge-source__meta muted">
        {KIND_NAMES[source.kind]}
        {source.sizeBytes !== null
          ? ` · ${formatBytes(source.sizeBytes)}`
          : source.sizeChars > 0
            ? ` · ${formatCount(source.sizeChars, "character", "characters")}`
            : null}{" "}
        · {source.status === "ready" ? formatCount(source.chunks, "passage", "passages") : "not searchable yet"} · added{" "}
        <LocalTime date={source.createdAt} />
      </p>
      {source.status === "processing" ? <p className="knowledge-source__note muted">Reading and indexing… this list updates by itself.</p> : null}
      {source.status === "failed" && source.error ? (
        <p className="knowledge-source__error" data-testid="knowledge-error">
          {source.error}
        </p>
      ) : null}
      <div className="knowledge-source__actions">
        {source.status === "processing" ? null : <ReindexSource id={source.id} kind={source.kind} />}
        <DeleteSource id={source.id} title={source.title} />
      </div>
    </li>
  );
}

const REINDEX_WHAT = { text: "Indexes the text again.", faq: "Indexes the answer again.", file: "Reads the file again.", url: "Reads the website again." } as const;

/** Runs the source through reading and indexing again (a website's pages may have changed). */
function ReindexSource({ id, kind }: { id: string; kind: KnowledgeSource["kind"] }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const failed = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? (fetcher.data.formError ?? fetcher.data.fieldErrors.id) : null;
  return (
    <fetcher.Form method="post" action="/dashboard/knowledge">
      <input type="hidden" name="intent" value="reindex" />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="button button--ghost" disabled={busy} aria-busy={busy} title={REINDEX_WHAT[kind]}>
        {busy ? "Starting…" : "Re-index"}
      </button>
      {failed ? (
        <p role="alert" className="field-error">
          {failed}
        </p>
      ) : null}
    </fetcher.Form>
  );
}

/**
 * Delete asks first, inside a disclosure: it works without JavaScript and nothing is removed by a
 * stray click. The source and its passages go for good.
 */
function DeleteSource({ id, title }: { id: string; title: string }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  const failed = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? (fetcher.data.formError ?? fetcher.data.fieldErrors.id) : null;
  return (
    <details className="knowledge-source__delete">
      <summary className="button button--ghost">Delete…</summary>
      <fetcher.Form method="post" action="/dashboard/knowledge" className="knowledge-source__confirm">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="id" value={id} />
        <p>
          Delete “{title}” and its passages? This cannot be undone: to use it again, add it again.
        </p>
        <button type="submit" className="button button--danger" disabled={busy} aria-busy={busy}>
          {busy ? "Deleting…" : "Delete for good"}
        </button>
        {failed ? (
          <p role="alert" className="field-error">
            {failed}
          </p>
        ) : null}
      </fetcher.Form>
    </details>
  );
}
