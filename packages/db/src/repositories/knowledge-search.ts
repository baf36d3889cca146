import {
  buildSearchQuery,
  FALLBACK_SEARCH_CONFIG,
  fuseRankings,
  SEARCH_CANDIDATES_PER_RANKER,
  searchConfigFor,
  TENANT_SCAN_MAX_CHUNKS,
} from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";

export interface KnowledgeSearchInput {
  userId: string;
  query: string;
  limit: number;
  /** The query's embedding, when an embedder is configured: adds the vector ranking. */
  queryEmbedding?: number[] | null;
  /** Where the row-by-row plan gives way to the indexes; default TENANT_SCAN_MAX_CHUNKS (tests take both plans). */
  tenantScanMaxChunks?: number;
}

export interface KnowledgeSearchResult {
  chunkId: string;
  documentId: string;
  title: string;
  text: string;
  /** Reciprocal rank fusion score over the rankings that ran (docs/decisions/0018). */
  score: number;
}

/** The width the pgvector column and its HNSW index hold (migration knowledge_ingestion). */
export const PGVECTOR_DIMENSIONS = 1536;

/**
 * The owner's best passages for a lead's words: full-text ranking always, nearest embeddings
 * when the query has one, fused by reciprocal rank. Only documents that finished indexing count.
 */
export async function searchKnowledge(db: Db, input: KnowledgeSearchInput): Promise<KnowledgeSearchResult[]> {
  return db.asUser(input.userId, async (tx) => {
    const rankings: string[][] = [];
    const query = buildSearchQuery(input.query);
    const embedding = input.queryEmbedding?.length ? input.queryEmbedding : null;
    if (!query.terms.length && !embedding) return [];
    // The tenant's size picks each ranker's plan: a small knowledge base is scanned row by row
    // (its rows come from the user_id index), a large one goes through the GIN / HNSW index.
    const [size] = await tx.$queryRaw<Array<{ chunks: number }>>`
      SELECT COALESCE(sum(chunk_count), 0)::int AS chunks FROM knowledge_documents WHERE user_id = ${input.userId}::uuid AND status = 'ready'`;
    const small = (size?.chunks ?? 0) <= (input.tenantScanMaxChunks ?? TENANT_SCAN_MAX_CHUNKS);
    if (query.terms.length) rankings.push(await lexicalRanking(tx, { userId: input.userId, tsquery: query.tsquery, config: searchConfigFor(input.query), small }));
    if (embedding) rankings.push(await vectorRanking(tx, { userId: input.userId, embedding, small }));
    const fused = fuseRankings(rankings).slice(0, input.limit);
    if (!fused.length) return [];
    const rows = await tx.$queryRaw<Array<{ id: string; document_id: string; title: string; content: string }>>`
      SELECT c.id::text, c.document_id::text, d.title, c.content
      FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
      WHERE c.id = ANY(${fused.map((r) => r.id)}::uuid[])`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return fused.flatMap(({ id, score }) => {
      const row = byId.get(id);
      return row ? [{ chunkId: id, documentId: row.document_id, title: row.title, text: row.content, score }] : [];
    });
  });
}

async function lexicalRanking(tx: Tx, input: { userId: string; tsquery: string; config: string; small: boolean }): Promise<string[]> {
  // Both configurations, as the chunks were indexed: the query language's stems and the plain
  // words, so a question in another language than the document still meets its shared words.
  // A small tenant's rows are read through the user_id index and matched one by one: the GIN
  // index would first collect every tenant's matches of common words and prefixes (measured:
  // scripts/bench/knowledge.ts), and the planner cannot tell OR-ed prefix queries are unselective.
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    WITH q AS (
      SELECT to_tsquery('simple', knowledge_fold(${input.tsquery}))
        ${input.config === FALLBACK_SEARCH_CONFIG ? Prisma.empty : Prisma.sql`|| to_tsquery(${input.config}::regconfig, knowledge_fold(${input.tsquery}))`} AS query
    ),
    candidates AS ${input.small ? Prisma.sql`MATERIALIZED` : Prisma.empty} (
      SELECT c.id, c.search_vector, ${TIE_BREAK_COLUMNS} FROM ${readyChunks(input.userId)}
    )
    SELECT t.id::text
    FROM q, candidates t
    WHERE t.search_vector @@ q.query
    ORDER BY ts_rank(t.search_vector, q.query) DESC, t.added, t.title, t.ordinal
    LIMIT ${SEARCH_CANDIDATES_PER_RANKER}`;
  return rows.map((row) => row.id);
}

async function vectorRanking(tx: Tx, input: { userId: string; embedding: number[]; small: boolean }): Promise<string[]> {
  const { userId, embedding } = input;
  if (embedding.length === PGVECTOR_DIMENSIONS && (await hasPgvectorColumn(tx))) {
    const statements = pgvectorRankingSql({ userId, embedding, exact: input.small });
    let rows: Array<{ id: string }> = [];
    for (const statement of statements) rows = await tx.$queryRaw<Array<{ id: string }>>(statement);
    return rows.map((row) => row.id);
  }
  const rows = await tx.$queryRaw<Array<{ id: string }>>(exactRealArrayRankingSql({ userId, embedding }));
  return rows.map((row) => row.id);
}

async function hasPgvectorColumn(tx: Tx): Promise<boolean> {
  const [row] = await tx.$queryRaw<Array<{ present: boolean }>>`
    SELECT EXISTS (
      SELECT 1 FROM pg_attribute
      WHERE attrelid = 'knowledge_chunks'::regclass AND attname = 'embedding_vector' AND NOT attisdropped
    ) AS present`;
  return row?.present ?? false;
}

// Equal scores break by the oldest document, then title and position: never by a random id, so a
// search (and the retrieval evaluation) answers the same way every run.
const TIE_BREAK_COLUMNS = Prisma.sql`d.created_at AS added, d.title, c.ordinal`;

function readyChunks(userId: string): Prisma.Sql {
  return Prisma.sql`
  knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id AND d.status = 'ready'
  WHERE c.user_id = ${userId}::uuid`;
}

/**
 * The pgvector ranking, as statements run in order (the last one answers). A small tenant is
 * ranked exactly: "+ 0" keeps the planner off the HNSW index, whose approximate scan filters by
 * tenant only afterwards and could come back short. A big tenant uses HNSW with iterative scans
 * (pgvector 0.8), which keep scanning until enough of the tenant's rows pass the filter; relaxed
 * order is re-sorted by exact distance. Exported for the PGlite test (a real pgvector).
 */
export function pgvectorRankingSql(input: { userId: string; embedding: number[]; exact: boolean }): Prisma.Sql[] {
  const vector = `[${input.embedding.join(",")}]`;
  const limit = SEARCH_CANDIDATES_PER_RANKER;
  if (input.exact) {
    return [
      Prisma.sql`SELECT c.id::text FROM ${readyChunks(input.userId)} AND c.embedding_vector IS NOT NULL
        ORDER BY (c.embedding_vector <=> ${vector}::vector) + 0, d.created_at, d.title, c.ordinal LIMIT ${limit}`,
    ];
  }
  return [
    Prisma.sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
    Prisma.sql`SELECT set_config('hnsw.ef_search', ${String(Math.max(40, limit * 2))}, true)`,
    // Only chunk columns inside, so the index scan can serve the ORDER BY; whether the document
    // finished indexing is checked outside (a document being re-indexed may cost a few places).
    Prisma.sql`WITH nearest AS MATERIALIZED (
        SELECT c.id, c.document_id, c.ordinal, c.embedding_vector <=> ${vector}::vector AS distance
        FROM knowledge_chunks c
        WHERE c.user_id = ${input.userId}::uuid
        ORDER BY c.embedding_vector <=> ${vector}::vector LIMIT ${limit}
      )
      SELECT n.id::text FROM nearest n JOIN knowledge_documents d ON d.id = n.document_id AND d.status = 'ready'
      ORDER BY n.distance, d.created_at, d.title, n.ordinal`,
  ];
}

/** Without pgvector: exact cosine distance over the tenant's real[] embeddings of the query's width. */
export function exactRealArrayRankingSql(input: { userId: string; embedding: number[] }): Prisma.Sql {
  return Prisma.sql`
    WITH q AS (SELECT ${input.embedding}::real[] AS v)
    SELECT c.id::text
    FROM q, ${readyChunks(input.userId)} AND cardinality(c.embedding) = ${input.embedding.length}
    ORDER BY (
      SELECT sum(a * b) / NULLIF(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0)
      FROM unnest(c.embedding, q.v) AS pair(a, b)
    ) DESC NULLS LAST, d.created_at, d.title, c.ordinal
    LIMIT ${SEARCH_CANDIDATES_PER_RANKER}`;
}
