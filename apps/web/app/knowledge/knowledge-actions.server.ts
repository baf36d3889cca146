import { FOLLOW_UP_POLICY, KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL } from "@audnix/core";
import { addKnowledgeFile, KnowledgeSourceRefusedError, knowledgeRefusalMessage } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { db } from "../db.server.ts";
import { firstErrorPerField } from "../field-errors.server.ts";
import { rateLimitMessage, rateLimitRefusal, rateLimits, retryAfterHeaders } from "../rate-limit.server.ts";
import { createServerCaller } from "../trpc.server.ts";

/** The controls of the knowledge page's forms (the API's input names, plus the upload's "file"). */
export type KnowledgeField = "title" | "text" | "question" | "answer" | "file" | "url" | "query" | "id";

export type KnowledgeFailure = { ok: false; fieldErrors: Partial<Record<KnowledgeField, string>>; formError: string | null };

export type KnowledgeActionResult =
  | { ok: true; intent: "add"; message: string }
  | { ok: true; intent: "remove" | "reindex"; id: string }
  | { ok: true; intent: "search"; query: string; results: Array<{ documentId: string; title: string; text: string }> }
  | KnowledgeFailure;

export interface KnowledgeActionAnswer {
  result: KnowledgeActionResult;
  status: number;
  headers?: Record<string, string>;
}

const text = z.string().catch("");

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add-text"), title: text, text }),
  z.object({ intent: z.literal("add-faq"), question: text, answer: text }),
  // A file input left empty still sends a part, with no name and no bytes.
  z.object({ intent: z.literal("add-file"), file: z.file().optional().catch(undefined) }),
  z.object({ intent: z.literal("add-url"), url: text }),
  z.object({ intent: z.literal("remove"), id: text }),
  z.object({ intent: z.literal("reindex"), id: text }),
  z.object({ intent: z.literal("search"), query: text }),
]);

/** What the page's forms send, once read; null when it is none of them. */
export function parseKnowledgeForm(form: FormData): z.output<typeof formSchema> | null {
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  return parsed.success ? parsed.data : null;
}

/** Runs one of the page's forms through the API and answers in the form's terms. */
export async function runKnowledgeForm(userId: string, form: z.output<typeof formSchema>): Promise<KnowledgeActionAnswer> {
  const knowledge = createServerCaller(userId).knowledge;
  try {
    switch (form.intent) {
      case "add-text":
        await knowledge.addDocument({ title: form.title, text: form.text });
        return added(`Added "${form.title.trim()}". It is being indexed and can be searched once it shows Ready.`);
      case "add-faq":
        await knowledge.addFaq({ question: form.question, answer: form.answer });
        return added(`Added the question "${form.question.trim()}". It is being indexed and can be searched once it shows Ready.`);
      case "add-file":
        return await addFile(userId, form.file);
      case "add-url":
        await knowledge.addUrl({ url: form.url });
        return added(`Added ${form.url.trim()}. Its pages are being read and indexed; this can take a minute.`);
      case "remove":
        await knowledge.remove({ id: form.id });
        return { result: { ok: true, intent: "remove", id: form.id }, status: 200 };
      case "reindex":
        await knowledge.reindex({ id: form.id });
        return { result: { ok: true, intent: "reindex", id: form.id }, status: 200 };
      case "search": {
        // The API answers an empty query with no passages; the owner more likely pressed too early.
        if (form.query.trim() === "") return failure({ fieldErrors: { query: "Write a question to search for." } }, 400);
        // As many passages as a reply is given (core's findKnowledgeFor), so the page shows what the AI would see.
        const { results } = await knowledge.search({ query: form.query, limit: FOLLOW_UP_POLICY.knowledgeLimit });
        return {
          result: { ok: true, intent: "search", query: form.query, results: results.map(({ documentId, title, text }) => ({ documentId, title, text })) },
          status: 200,
        };
      }
    }
  } catch (error) {
    // An address the crawler does not take is refused in words of its own (not zod's): said under the field.
    return refusedBy(error, form.intent === "add-url" ? "url" : null);
  }
}

/** Files skip tRPC (a JSON API): the upload goes straight to the same repository function. */
async function addFile(userId: string, file: File | undefined): Promise<KnowledgeActionAnswer> {
  if (!file || (file.size === 0 && file.name === "")) return failure({ fieldErrors: { file: "Choose a file to upload." } }, 400);
  // The same budget as the tRPC procedures that set the worker reading (addUrl, reindex).
  const verdict = await rateLimits().consume("knowledgeSources", userId);
  if (!verdict.allowed) {
    return failure({ formError: rateLimitMessage("knowledgeSources", verdict.retryAfterSeconds) }, 429, retryAfterHeaders(verdict.retryAfterSeconds));
  }
  try {
    await addKnowledgeFile(db, userId, { filename: file.name, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) });
  } catch (error) {
    // The file itself was refused (type, size, contents): said under the file input.
    if (error instanceof KnowledgeSourceRefusedError) return failure({ fieldErrors: { file: error.message } }, 400);
    const message = knowledgeRefusalMessage(error);
    if (message === null) throw error;
    return failure({ formError: message }, 400);
  }
  return added(`Uploaded ${file.name}. Its text is being read and indexed.`);
}

function added(message: string): KnowledgeActionAnswer {
  return { result: { ok: true, intent: "add", message }, status: 200 };
}

/**
 * A form error as the page shows it: the API's zod complaints per field, the document cap
 * and other refusals as one line, or under `refusalField` when the refusal is about that input.
 */
function refusedBy(error: unknown, refusalField: KnowledgeField | null = null): KnowledgeActionAnswer {
  const refusal = rateLimitRefusal(error);
  if (refusal) return failure({ formError: refusal.message }, refusal.init.status, refusal.init.headers);
  if (!(error instanceof TRPCError)) throw error;
  if (error.code === "NOT_FOUND") return failure({ formError: "That source is gone: it was already deleted." }, 404);
  // BAD_REQUEST carries the document cap too (the API's own words).
  if (error.code !== "BAD_REQUEST") throw error;
  if (error.cause instanceof z.ZodError) return failure({ fieldErrors: firstErrorPerField<KnowledgeField>(error.cause) }, 400);
  if (refusalField && error.message !== KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL) return failure({ fieldErrors: { [refusalField]: error.message } }, 400);
  return failure({ formError: error.message }, 400);
}

export function failure(
  { fieldErrors = {}, formError = null }: { fieldErrors?: KnowledgeFailure["fieldErrors"]; formError?: string | null },
  status: number,
  headers?: Record<string, string>,
): KnowledgeActionAnswer {
  return { result: { ok: false, fieldErrors, formError }, status, ...(headers ? { headers } : {}) };
}
