import {
  checkKnowledgeFile,
  CRAWL_FAILURE_NOTES,
  CRAWL_MAX_PAGES,
  CRAWL_PAGE_NOTES,
  CRAWL_PAGES_PER_RUN,
  crawlDocumentContent,
  crawlLinkTarget,
  KNOWLEDGE_CRAWL_TASK,
  KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL,
  KNOWLEDGE_EXTRACT_FAILURES,
  KNOWLEDGE_EXTRACT_TASK,
  KNOWLEDGE_FILE_REFUSALS,
  KNOWLEDGE_TITLE_MAX_CHARS,
  KNOWLEDGE_URL_REFUSALS,
  knowledgeFileTitle,
  knowledgeQueueName,
  knowledgeSourceJobKey,
  knowledgeUrlTitle,
  parseKnowledgeUrl,
  capLength,
  type CrawlPageProblem,
  type KnowledgeFileExtractor,
  type KnowledgeFileInput,
  type KnowledgeFileRefusal,
  type KnowledgeSourcePayload,
  type KnowledgeUrlRefusal,
  type SiteFetcher,
} from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { enqueueKnowledgeIngest, KnowledgeLimitError, reserveKnowledgeDocumentSlot } from "./knowledge.ts";

// Files and websites as knowledge documents (docs/decisions/0020). The web request stores what the
// owner gave and queues a job; knowledge:extract and knowledge:crawl read it into the document's
// content, which knowledge:ingest then chunks and indexes as it does pasted text.

/** An upload or address refused before anything was stored; `message` is for the owner. */
export class KnowledgeSourceRefusedError extends Error {
  readonly refusal: KnowledgeFileRefusal | KnowledgeUrlRefusal;
  constructor(refusal: KnowledgeFileRefusal | KnowledgeUrlRefusal, message: string) {
    super(message);
    this.refusal = refusal;
    this.name = "KnowledgeSourceRefusedError";
  }
}

/** The sentence to show the owner when adding knowledge was refused; null for any other error. */
export function knowledgeRefusalMessage(error: unknown): string | null {
  if (error instanceof KnowledgeSourceRefusedError) return error.message;
  if (error instanceof KnowledgeLimitError) return KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL;
  return null;
}

/**
 * Stores an uploaded file (its bytes in knowledge_files) as a processing document and queues its
 * text extraction in the same transaction. Throws KnowledgeSourceRefusedError for a file that is
 * not taken (type, size, contents) and KnowledgeLimitError past the document cap.
 */
export async function addKnowledgeFile(db: Db, userId: string, input: KnowledgeFileInput): Promise<{ id: string }> {
  const check = checkKnowledgeFile(input);
  if (!check.ok) throw new KnowledgeSourceRefusedError(check.refusal, KNOWLEDGE_FILE_REFUSALS[check.refusal]);
  return db.asUser(userId, async (tx) => {
    await reserveKnowledgeDocumentSlot(tx, userId);
    const document = await tx.knowledgeDocument.create({
      data: {
        userId,
        kind: "file",
        title: knowledgeFileTitle(check.filename),
        content: "",
        filename: check.filename,
        contentType: check.contentType,
        sizeBytes: input.bytes.byteLength,
        sourceRevision: 1,
      },
      select: { id: true },
    });
    await tx.knowledgeFile.create({ data: { documentId: document.id, userId, bytes: new Uint8Array(input.bytes) } });
    await enqueueSourceJob(tx, KNOWLEDGE_EXTRACT_TASK, { userId, documentId: document.id, revision: 1 });
    return document;
  });
}

/** Stores a website address as a processing document and queues its crawl from that page. */
export async function addKnowledgeUrl(db: Db, userId: string, input: { url: string }): Promise<{ id: string }> {
  const parsed = parseKnowledgeUrl(input.url);
  if (!parsed.ok) throw new KnowledgeSourceRefusedError(parsed.refusal, KNOWLEDGE_URL_REFUSALS[parsed.refusal]);
  return db.asUser(userId, async (tx) => {
    await reserveKnowledgeDocumentSlot(tx, userId);
    const document = await tx.knowledgeDocument.create({
      data: { userId, kind: "url", title: knowledgeUrlTitle(parsed.url), content: "", sourceUrl: parsed.url, sourceRevision: 1 },
      select: { id: true },
    });
    await startCrawl(tx, { userId, documentId: document.id, revision: 1 }, parsed.url);
    return document;
  });
}

/**
 * Indexes a document again: a file is extracted again, a website crawled again, text and FAQ
 * chunked again. The status goes to processing at once; where the result is the content already
 * indexed (same hash), the chunks stay and the document is ready again. Null when the owner has
 * no such document (row-level security hides other owners').
 */
export async function reindexKnowledgeDocument(db: Db, userId: string, documentId: string): Promise<{ id: string } | null> {
  return db.asUser(userId, async (tx) => {
    const [document] = await tx.$queryRaw<Array<{ kind: string; source_revision: number; source: string | null }>>`
      SELECT kind::text, source_revision, source FROM knowledge_documents
      WHERE id = ${documentId}::uuid AND user_id = ${userId}::uuid FOR UPDATE`;
    if (!document) return null;
    if (document.kind === "file" || document.kind === "url") {
      const revision = document.source_revision + 1;
      await tx.knowledgeDocument.update({ where: { id: documentId }, data: { status: "processing", error: null, sourceRevision: revision } });
      const payload = { userId, documentId, revision };
      if (document.kind === "file") await enqueueSourceJob(tx, KNOWLEDGE_EXTRACT_TASK, payload);
      else await startCrawl(tx, payload, document.source ?? "");
    } else {
      await tx.knowledgeDocument.update({ where: { id: documentId }, data: { status: "processing", error: null } });
      await enqueueKnowledgeIngest(tx, { userId, documentId, fromChunk: 0 });
    }
    return { id: documentId };
  });
}

async function enqueueSourceJob(tx: Tx, task: typeof KNOWLEDGE_EXTRACT_TASK | typeof KNOWLEDGE_CRAWL_TASK, payload: KnowledgeSourcePayload): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${task}, ${JSON.stringify(payload)}::json,
    queue_name := ${knowledgeQueueName(payload.userId)},
    job_key := ${knowledgeSourceJobKey(task, payload.documentId)}, job_key_mode := 'replace')`;
}

/** A crawl starts over from its first page: the pages of an earlier crawl go. */
async function startCrawl(tx: Tx, payload: KnowledgeSourcePayload, startUrl: string): Promise<void> {
  await tx.knowledgeCrawlPage.deleteMany({ where: { documentId: payload.documentId } });
  await tx.knowledgeCrawlPage.create({ data: { userId: payload.userId, documentId: payload.documentId, ordinal: 0, url: startUrl, depth: 0 } });
  await enqueueSourceJob(tx, KNOWLEDGE_CRAWL_TASK, payload);
}

export type SourceStep =
  | { outcome: "gone" }
  /** A re-index started after this job was queued; its own job does the work. */
  | { outcome: "superseded" }
  | { outcome: "failed"; reason: string }
  /** The document's text is in place and knowledge:ingest is queued. */
  | { outcome: "extracted"; chars: number }
  | { outcome: "crawling"; fetched: number; queued: number };

/** Locks the document and answers whether this run (its revision) still owns it. */
async function lockRevision(tx: Tx, payload: KnowledgeSourcePayload): Promise<"current" | "gone" | "superseded"> {
  const [row] = await tx.$queryRaw<Array<{ source_revision: number }>>`
    SELECT source_revision FROM knowledge_documents WHERE id = ${payload.documentId}::uuid FOR UPDATE`;
  if (!row) return "gone";
  return row.source_revision === payload.revision ? "current" : "superseded";
}

async function failSource(tx: Tx, payload: KnowledgeSourcePayload, reason: string): Promise<SourceStep> {
  await tx.knowledgeDocument.update({ where: { id: payload.documentId }, data: { status: "failed", error: reason } });
  return { outcome: "failed", reason };
}

/** Fails the document when this run (its revision) still owns it: an older run's give-up never fails a newer one. */
export async function markKnowledgeSourceFailed(db: Db, payload: KnowledgeSourcePayload, reason: string): Promise<void> {
  await db.asUser(payload.userId, async (tx) => {
    if ((await lockRevision(tx, payload)) === "current") await failSource(tx, payload, reason);
  });
}

/** The text is the document's content from now on; indexing is queued with it. */
async function saveSourceText(tx: Tx, payload: KnowledgeSourcePayload, data: { content: string; title?: string; sizeBytes?: number }): Promise<SourceStep> {
  await tx.knowledgeDocument.update({
    where: { id: payload.documentId },
    data: { ...data, sizeChars: data.content.length, status: "processing", error: null },
  });
  await enqueueKnowledgeIngest(tx, { userId: payload.userId, documentId: payload.documentId, fromChunk: 0 });
  return { outcome: "extracted", chars: data.content.length };
}

/**
 * One run of knowledge:extract: reads the stored file into text with the extractor (which answers
 * a bad file with a failure, never a throw) and hands it to indexing, or fails the document with
 * the reason. A throw (a bug, the database) is left to graphile-worker's retries.
 */
export async function runKnowledgeExtractStep(db: Db, extract: KnowledgeFileExtractor, payload: KnowledgeSourcePayload): Promise<SourceStep> {
  const { userId, documentId } = payload;
  const stored = await db.asUser(userId, (tx) =>
    tx.knowledgeDocument.findFirst({
      where: { id: documentId, userId },
      select: { sourceRevision: true, filename: true, contentType: true, file: { select: { bytes: true } } },
    }),
  );
  if (!stored?.file) return { outcome: "gone" };
  if (stored.sourceRevision !== payload.revision) return { outcome: "superseded" };
  const check = checkKnowledgeFile({ filename: stored.filename ?? "", contentType: stored.contentType ?? "", bytes: stored.file.bytes });
  const extraction = check.ok ? await extract({ format: check.format, bytes: stored.file.bytes }) : null;
  return db.asUser(userId, async (tx) => {
    const state = await lockRevision(tx, payload);
    if (state !== "current") return { outcome: state };
    if (!check.ok) return failSource(tx, payload, KNOWLEDGE_FILE_REFUSALS[check.refusal]);
    if (!extraction?.ok) return failSource(tx, payload, KNOWLEDGE_EXTRACT_FAILURES[extraction?.failure ?? "unreadable"]);
    return saveSourceText(tx, payload, { content: extraction.text });
  });
}

interface PageOutcome {
  id: string;
  depth: number;
  /** The start page's new origin (a same-site redirect): the document's address becomes `url`. */
  moved?: { origin: string; robots: Robots; url: string };
  status: "fetched" | "skipped";
  title: string | null;
  content: string | null;
  note: CrawlPageProblem | null;
  sizeBytes: number;
  links: string[];
}

/**
 * One run of knowledge:crawl: fetches up to CRAWL_PAGES_PER_RUN pages in the order they were found
 * (breadth first, pages found during the run included), keeps their text, queues the same-origin
 * links robots.txt allows (up to CRAWL_MAX_PAGES pages in all) and queues the next run. When no
 * page is left, the pages become the document's content, each under its title, and indexing is
 * queued. Each batch of pages is saved as it is read, so a crash re-fetches only unsaved pages.
 */
export async function runKnowledgeCrawlStep(db: Db, fetcher: SiteFetcher, payload: KnowledgeSourcePayload): Promise<SourceStep> {
  const { userId, documentId } = payload;
  const document = await db.asUser(userId, (tx) =>
    tx.knowledgeDocument.findFirst({ where: { id: documentId, userId }, select: { sourceRevision: true, sourceUrl: true } }),
  );
  if (!document?.sourceUrl) return { outcome: "gone" };
  if (document.sourceRevision !== payload.revision) return { outcome: "superseded" };
  let origin = new URL(document.sourceUrl).origin;
  let robots: Robots | null = null;
  let fetched = 0;
  let budget = CRAWL_PAGES_PER_RUN;
  while (budget > 0) {
    const queued = await db.asUser(userId, (tx) =>
      tx.knowledgeCrawlPage.findMany({
        where: { documentId, status: "queued" },
        orderBy: { ordinal: "asc" },
        take: budget,
        select: { id: true, url: true, depth: true },
      }),
    );
    if (!queued.length) break;
    robots ??= await fetcher.robots(origin);
    const outcomes: PageOutcome[] = [];
    for (const page of queued) {
      const outcome = await readPage(fetcher, { robots, origin }, page);
      if (outcome.moved) ({ origin, robots } = outcome.moved);
      outcomes.push(outcome);
    }
    budget -= queued.length;
    fetched += outcomes.filter((outcome) => outcome.status === "fetched").length;
    const saved = await db.asUser(userId, async (tx) => {
      const state = await lockRevision(tx, payload);
      if (state !== "current") return state;
      await savePages(tx, payload, outcomes);
      return state;
    });
    if (saved !== "current") return { outcome: saved };
  }
  return db.asUser(userId, async (tx) => {
    const state = await lockRevision(tx, payload);
    if (state !== "current") return { outcome: state };
    const queued = await tx.knowledgeCrawlPage.count({ where: { documentId, status: "queued" } });
    if (queued > 0) {
      await enqueueSourceJob(tx, KNOWLEDGE_CRAWL_TASK, payload);
      return { outcome: "crawling", fetched, queued };
    }
    return finishCrawl(tx, payload);
  });
}

type Robots = { isAllowed(url: string): boolean };

async function readPage(fetcher: SiteFetcher, site: { robots: Robots; origin: string }, page: { id: string; url: string; depth: number }): Promise<PageOutcome> {
  const base = { id: page.id, depth: page.depth, links: [] as string[], title: null, content: null, sizeBytes: 0 };
  if (!site.robots.isAllowed(page.url)) return { ...base, status: "skipped", note: "robots" };
  const start = page.depth === 0;
  const result = await fetcher.page(page.url, { start });
  if (!result.ok) return { ...base, status: "skipped", note: result.problem };
  // The start page moved to the same site's https or www address: the crawl goes on from there,
  // under that origin's robots.txt.
  const moved = start && result.origin !== site.origin ? { origin: result.origin, robots: await fetcher.robots(result.origin), url: result.url } : null;
  const { origin, robots } = moved ?? site;
  const kept = { ...base, ...(moved ? { moved } : {}) };
  if (moved && !robots.isAllowed(result.url)) return { ...kept, status: "skipped", note: "robots" };
  if (!result.text.trim()) return { ...kept, status: "skipped", note: "no_text", sizeBytes: result.sizeBytes };
  const links = result.links.flatMap((href) => {
    const target = crawlLinkTarget(href, result.base, origin);
    return target && robots.isAllowed(target) ? [target] : [];
  });
  return { ...kept, status: "fetched", title: result.title, content: result.text, sizeBytes: result.sizeBytes, links, note: null };
}

async function savePages(tx: Tx, payload: KnowledgeSourcePayload, outcomes: readonly PageOutcome[]): Promise<void> {
  for (const outcome of outcomes) {
    if (outcome.moved) await tx.knowledgeDocument.update({ where: { id: payload.documentId }, data: { sourceUrl: outcome.moved.url } });
    await tx.knowledgeCrawlPage.update({
      where: { id: outcome.id },
      data: {
        ...(outcome.moved ? { url: outcome.moved.url } : {}),
        status: outcome.status,
        title: outcome.title === null ? null : capLength(outcome.title, KNOWLEDGE_TITLE_MAX_CHARS),
        content: outcome.content,
        note: outcome.note === null ? null : CRAWL_PAGE_NOTES[outcome.note],
        sizeBytes: outcome.sizeBytes,
      },
    });
  }
  await queueFoundPages(tx, payload, outcomes);
}

/** New same-origin pages, in the order found, each once, until the document has CRAWL_MAX_PAGES. */
async function queueFoundPages(tx: Tx, payload: KnowledgeSourcePayload, outcomes: readonly PageOutcome[]): Promise<void> {
  const known = await tx.knowledgeCrawlPage.findMany({ where: { documentId: payload.documentId }, select: { url: true, ordinal: true } });
  const seen = new Set(known.map((page) => page.url));
  let ordinal = known.reduce((max, page) => Math.max(max, page.ordinal), -1) + 1;
  let room = CRAWL_MAX_PAGES - known.length;
  const rows: Array<{ userId: string; documentId: string; url: string; depth: number; ordinal: number }> = [];
  for (const outcome of outcomes) {
    for (const url of outcome.links) {
      if (room <= 0) break;
      if (seen.has(url)) continue;
      seen.add(url);
      rows.push({ userId: payload.userId, documentId: payload.documentId, url, depth: outcome.depth + 1, ordinal: ordinal++ });
      room -= 1;
    }
  }
  if (rows.length) await tx.knowledgeCrawlPage.createMany({ data: rows });
}

async function finishCrawl(tx: Tx, payload: KnowledgeSourcePayload): Promise<SourceStep> {
  const pages = await tx.knowledgeCrawlPage.findMany({
    where: { documentId: payload.documentId },
    orderBy: { ordinal: "asc" },
    select: { url: true, status: true, title: true, content: true, note: true, sizeBytes: true },
  });
  const fetched = pages.flatMap((page) => (page.status === "fetched" && page.content ? [{ url: page.url, title: page.title, content: page.content }] : []));
  const { content, pagesUsed } = crawlDocumentContent(fetched);
  if (!pagesUsed) {
    return failSource(tx, payload, CRAWL_FAILURE_NOTES.nothingRead(pages[0]?.note ?? null));
  }
  // The document holds the text now; the pages keep their address, status and note only.
  await tx.knowledgeCrawlPage.updateMany({ where: { documentId: payload.documentId }, data: { content: null } });
  const sizeBytes = pages.reduce((sum, page) => sum + (page.status === "fetched" ? page.sizeBytes : 0), 0);
  const startTitle = pages[0]?.status === "fetched" ? pages[0].title?.trim() : null;
  return saveSourceText(tx, payload, { content, sizeBytes, ...(startTitle ? { title: startTitle } : {}) });
}
