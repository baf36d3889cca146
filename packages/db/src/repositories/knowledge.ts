import {
  FALLBACK_SEARCH_CONFIG,
  KNOWLEDGE_DOCUMENTS_PER_USER_MAX,
  KNOWLEDGE_INGEST_TASK,
  knowledgeIngestJobKey,
  knowledgeQueueName,
  type KnowledgeIngestPayload,
} from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { KnowledgeKind, KnowledgeStatus } from "../generated/prisma/enums.ts";

export interface NewKnowledgeDocument {
  kind: KnowledgeKind;
  title: string;
  content: string;
}

export class KnowledgeLimitError extends Error {
  constructor() {
    super(`at most ${KNOWLEDGE_DOCUMENTS_PER_USER_MAX} knowledge documents per account`);
    this.name = "KnowledgeLimitError";
  }
}

/** Stores a document as processing and queues its indexing in the same transaction. */
export async function addKnowledgeDocument(db: Db, userId: string, input: NewKnowledgeDocument): Promise<{ id: string }> {
  return db.asUser(userId, async (tx) => {
    await reserveKnowledgeDocumentSlot(tx, userId);
    const document = await tx.knowledgeDocument.create({
      data: { userId, kind: input.kind, title: input.title, content: input.content, sizeChars: input.content.length },
      select: { id: true },
    });
    await enqueueKnowledgeIngest(tx, { userId, documentId: document.id, fromChunk: 0 });
    return document;
  });
}

/** Throws KnowledgeLimitError when the owner is at the document cap; holds the owner's lock until the transaction ends. */
export async function reserveKnowledgeDocumentSlot(tx: Tx, userId: string): Promise<void> {
  // Serializes this owner's additions, so two at once cannot both pass the cap.
  await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if ((await tx.knowledgeDocument.count({ where: { userId } })) >= KNOWLEDGE_DOCUMENTS_PER_USER_MAX) throw new KnowledgeLimitError();
}

export async function enqueueKnowledgeIngest(tx: Tx, payload: KnowledgeIngestPayload): Promise<void> {
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${KNOWLEDGE_INGEST_TASK}, ${JSON.stringify(payload)}::json,
    queue_name := ${knowledgeQueueName(payload.userId)},
    job_key := ${knowledgeIngestJobKey(payload.documentId)}, job_key_mode := 'replace')`;
}

export interface KnowledgeDocumentSummary {
  id: string;
  title: string;
  kind: KnowledgeKind;
  status: KnowledgeStatus;
  chunks: number;
  sizeChars: number;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** The uploaded file's bytes, or the crawled pages' total; null for text and FAQ. */
  sizeBytes: number | null;
  sourceUrl: string | null;
  filename: string | null;
}

export async function listKnowledgeDocuments(db: Db, userId: string): Promise<KnowledgeDocumentSummary[]> {
  const rows = await db.asUser(userId, (tx) =>
    tx.knowledgeDocument.findMany({
      where: { userId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        title: true,
        kind: true,
        status: true,
        chunkCount: true,
        sizeChars: true,
        error: true,
        createdAt: true,
        updatedAt: true,
        sizeBytes: true,
        sourceUrl: true,
        filename: true,
      },
    }),
  );
  return rows.map(({ chunkCount, ...row }) => ({ ...row, chunks: chunkCount }));
}

/** Deletes a document and its chunks; false when the owner has no such document. */
export async function removeKnowledgeDocument(db: Db, userId: string, documentId: string): Promise<boolean> {
  const { count } = await db.asUser(userId, (tx) => tx.knowledgeDocument.deleteMany({ where: { id: documentId, userId } }));
  return count > 0;
}

// --- Ingestion (knowledge:ingest) ---

export interface KnowledgeDocumentToIndex {
  kind: KnowledgeKind;
  title: string;
  content: string;
  status: KnowledgeStatus;
  contentHash: string | null;
}

export async function loadKnowledgeDocumentToIndex(db: Db, ref: { userId: string; documentId: string }): Promise<KnowledgeDocumentToIndex | null> {
  return db.asUser(ref.userId, (tx) =>
    tx.knowledgeDocument.findFirst({
      where: { id: ref.documentId, userId: ref.userId },
      select: { kind: true, title: true, content: true, status: true, contentHash: true },
    }),
  );
}

export interface IndexedChunk {
  ordinal: number;
  content: string;
  headingPath: string[];
  tokenEstimate: number;
  /** Title and headings: indexed with weight A, so a passage under "Returns" ranks for "return". */
  searchHead: string;
  embedding: number[] | null;
}

export interface KnowledgeBatch {
  userId: string;
  documentId: string;
  /** A Postgres text search configuration (core's searchConfigFor). */
  searchConfig: string;
  /** The first batch of a run: the document's old chunks go. */
  replace: boolean;
  chunks: IndexedChunk[];
  /** The continuation to queue in the same transaction, or null on the last batch. */
  next: KnowledgeIngestPayload | null;
  /** On the last batch: the document becomes ready with this hash and count. */
  finish: { contentHash: string; chunkCount: number } | null;
}

/**
 * Writes one batch of chunks with their full-text vectors (and the continuation, or the ready
 * mark) in one transaction. False when the document is gone (deleted while indexing).
 */
export async function writeKnowledgeBatch(db: Db, batch: KnowledgeBatch): Promise<boolean> {
  const { userId, documentId } = batch;
  return db.asUser(userId, async (tx) => {
    const locked = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM knowledge_documents WHERE id = ${documentId}::uuid FOR UPDATE`;
    if (!locked.length) return false;
    if (batch.replace) {
      await tx.knowledgeChunk.deleteMany({ where: { documentId } });
      // The old hash no longer describes the chunks: a run cut short must not pass for finished.
      await tx.knowledgeDocument.update({ where: { id: documentId }, data: { status: "processing", error: null, contentHash: null } });
    }
    if (batch.chunks.length) await insertChunks(tx, batch);
    if (batch.next) await enqueueKnowledgeIngest(tx, batch.next);
    if (batch.finish) {
      await tx.knowledgeDocument.update({
        where: { id: documentId },
        data: { status: "ready", error: null, chunkCount: batch.finish.chunkCount, contentHash: batch.finish.contentHash },
      });
    }
    return true;
  });
}

async function insertChunks(tx: Tx, batch: KnowledgeBatch): Promise<void> {
  const { chunks } = batch;
  // One statement per batch: arrays of the columns, unnested together. Heading paths and
  // embeddings are arrays per row, so they travel as JSON text and are unpacked per row.
  await tx.$executeRaw`
    INSERT INTO knowledge_chunks (user_id, document_id, ordinal, content, heading_path, token_estimate, embedding, search_vector)
    SELECT ${batch.userId}::uuid, ${batch.documentId}::uuid, c.ordinal, c.content,
           ARRAY(SELECT json_array_elements_text(c.heading_path::json)),
           c.token_estimate,
           COALESCE(ARRAY(SELECT json_array_elements_text(c.embedding::json)::real), '{}'),
           ${searchVectorSql(batch.searchConfig)}
    FROM unnest(
      ${chunks.map((c) => c.ordinal)}::int[], ${chunks.map((c) => c.content)}::text[],
      ${chunks.map((c) => JSON.stringify(c.headingPath))}::text[], ${chunks.map((c) => c.tokenEstimate)}::int[],
      ${chunks.map((c) => (c.embedding ? JSON.stringify(c.embedding) : "[]"))}::text[], ${chunks.map((c) => c.searchHead)}::text[]
    ) AS c(ordinal, content, heading_path, token_estimate, embedding, head)`;
}

/**
 * The chunk's full-text vector: title and headings weighted A, in the document language's
 * configuration and in 'simple' (once, when the language is 'simple': a doubled vector only costs
 * size and ranking time).
 */
function searchVectorSql(config: string): Prisma.Sql {
  const simple = Prisma.sql`setweight(to_tsvector('simple', knowledge_fold(c.head)), 'A') || to_tsvector('simple', knowledge_fold(c.content))`;
  if (config === FALLBACK_SEARCH_CONFIG) return simple;
  return Prisma.sql`setweight(to_tsvector(${config}::regconfig, knowledge_fold(c.head)), 'A')
    || to_tsvector(${config}::regconfig, knowledge_fold(c.content)) || ${simple}`;
}

/**
 * The chunks already indexed are this very input (same hash): a re-index ends here, ready again.
 * False when the document is gone or its hash changed meanwhile.
 */
export async function markKnowledgeUnchanged(db: Db, ref: { userId: string; documentId: string; contentHash: string }): Promise<boolean> {
  const { count } = await db.asUser(ref.userId, (tx) =>
    tx.knowledgeDocument.updateMany({
      where: { id: ref.documentId, userId: ref.userId, contentHash: ref.contentHash },
      data: { status: "ready", error: null },
    }),
  );
  return count > 0;
}

/** Indexing ended for good; `reason` is shown to the owner (our words only). */
export async function markKnowledgeFailed(db: Db, ref: { userId: string; documentId: string }, reason: string): Promise<void> {
  await db.asUser(ref.userId, (tx) =>
    tx.knowledgeDocument.updateMany({ where: { id: ref.documentId, userId: ref.userId }, data: { status: "failed", error: reason } }),
  );
}
