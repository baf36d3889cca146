import {
  CRAWL_MAX_PAGES,
  FAQ_ANSWER_MAX_CHARS,
  FAQ_QUESTION_MAX_CHARS,
  KNOWLEDGE_DOCUMENT_MAX_CHARS,
  KNOWLEDGE_FILE_FORMATS,
  KNOWLEDGE_FILE_MAX_BYTES,
  KNOWLEDGE_FILE_REFUSALS,
  KNOWLEDGE_TITLE_MAX_CHARS,
  SEARCH_QUERY_MAX_CHARS,
} from "@audnix/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { KnowledgeFaqForm, KnowledgeFileForm, KnowledgeTextForm, KnowledgeUrlForm } from "../components/knowledge-add-forms.tsx";
import { KnowledgeSourceList } from "../components/knowledge-source-list.tsx";
import { KnowledgeTryQuestion } from "../components/knowledge-try-question.tsx";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { failure, parseKnowledgeForm, runKnowledgeForm, type KnowledgeActionResult } from "../knowledge/knowledge-actions.server.ts";
import type { KnowledgeLimits } from "../knowledge/knowledge-labels.ts";
import { readKnowledgeForm } from "../knowledge/read-knowledge-form.server.ts";
import { useRevalidateWhile } from "../knowledge/use-revalidate-while.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const meta: MetaFunction = () => [{ title: "Knowledge · Audnix AI" }];

export const headers = privatePageHeaders;

// A pasted FAQ is ready in a second or two; a 50-page website takes minutes.
const REFRESH_WHILE_PROCESSING = { firstMs: 1_500, maxMs: 15_000 };

const LIMITS: KnowledgeLimits = {
  titleMaxChars: KNOWLEDGE_TITLE_MAX_CHARS,
  textMaxChars: KNOWLEDGE_DOCUMENT_MAX_CHARS,
  questionMaxChars: FAQ_QUESTION_MAX_CHARS,
  answerMaxChars: FAQ_ANSWER_MAX_CHARS,
  fileMaxBytes: KNOWLEDGE_FILE_MAX_BYTES,
  fileExtensions: KNOWLEDGE_FILE_FORMATS.map((format) => `.${format}`),
  crawlMaxPages: CRAWL_MAX_PAGES,
};

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const { documents } = await caller.knowledge.list();
  return { sources: documents, limits: LIMITS, queryMaxChars: SEARCH_QUERY_MAX_CHARS };
}

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const read = await readKnowledgeForm(request, { fileMaxBytes: LIMITS.fileMaxBytes, textMaxChars: LIMITS.textMaxChars });
  if (!read.ok) {
    // Only the upload is multipart, so a multipart body over the cap is a file over the limit.
    const answer =
      read.reason === "unreadable"
        ? failure({ formError: "That form could not be read. Reload the page and try again." }, 400)
        : read.multipart
          ? failure({ fieldErrors: { file: KNOWLEDGE_FILE_REFUSALS.too_large } }, 413)
          : failure({ formError: `That is more than a document can hold (${LIMITS.textMaxChars.toLocaleString("en")} characters); split it in parts.` }, 413);
    return data<KnowledgeActionResult>(answer.result, { status: answer.status });
  }
  const form = parseKnowledgeForm(read.form);
  if (!form) throw data("Unknown knowledge form.", { status: 400 });
  const answer = await runKnowledgeForm(userId, form);
  return data<KnowledgeActionResult>(answer.result, { status: answer.status, ...(answer.headers ? { headers: answer.headers } : {}) });
}

export const clientAction = keepInputWhenUnreachable<KnowledgeActionResult>(() => ({ ok: false, fieldErrors: {}, formError: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function KnowledgePage() {
  const { sources, limits, queryMaxChars } = useLoaderData<typeof loader>();
  useRevalidateWhile(
    sources
      .filter((source) => source.status === "processing")
      .map((source) => source.id)
      .join(" "),
    REFRESH_WHILE_PROCESSING,
  );

  return (
    <div className="knowledge">
      <section aria-labelledby="knowledge-title">
        <h1 id="knowledge-title">Knowledge</h1>
        <p className="muted">
          What the AI may tell your leads. Its replies answer questions about your business only from the passages it finds here;
          when nothing here answers a lead, it says the team will get back to them and flags the lead for you.
        </p>
      </section>

      <section className="card" aria-labelledby="sources-title">
        <h2 id="sources-title">Your sources</h2>
        {sources.length === 0 ? (
          <div className="empty-state" data-testid="knowledge-empty">
            <p>Nothing added yet.</p>
            <p>
              Start with the questions customers ask most (prices, opening hours, delivery, returns) as question-and-answer
              pairs: each pair is one passage, found when a lead&apos;s question shares its words. Then add your price list,
              policies or website.
            </p>
          </div>
        ) : (
          <KnowledgeSourceList sources={sources} />
        )}
      </section>

      <div className="knowledge__add">
        <KnowledgeFaqForm limits={limits} />
        <KnowledgeTextForm limits={limits} />
        <KnowledgeFileForm limits={limits} />
        <KnowledgeUrlForm limits={limits} />
      </div>

      <KnowledgeTryQuestion queryMaxChars={queryMaxChars} />
    </div>
  );
}
