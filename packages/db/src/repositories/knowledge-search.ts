import {
  buildSearchQuery,
  EXACT_VECTOR_SEARCH_MAX_ROWS,
  fuseRankings,
  SEARCH_CANDIDATES_PER_RANKER,
  searchConfigFor,
} from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";

export interface KnowledgeSearchInput {
  userId: string;
  query: string;
  limit: number;
  /** The query's embedding, when an embedder is configured: adds the vector ranking. */
  queryEmbedding?: number[] | null;
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
    if (query.terms.length) rankings.push(await lexicalRanking(tx, input.userId, query.tsquery, searchConfigFor(input.query)));
    if (input.queryEmbedding?.length) rankings.push(await vectorRanking(tx, input.userId, input.queryEmbedding));
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

async function lexicalRanking(tx: Tx, userId: string, tsquery: string, config: string): Promise<string[]> {
  // Both configurations, as the chunks were indexed: the query language's stems and the plain
  // words, so a question in another language than the document still meets its shared words.
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    WITH q AS (
      SELECT to_tsquery('simple', knowledge_fold(${tsquery})) || to_tsquery(${config}::regconfig, knowledge_fold(${tsquery})) AS query
    )
    SELECT c.id::text
    FROM q, knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id AND d.status = 'ready'
    WHERE c.user_id = ${userId}::uuid AND c.search_vector @@ q.query
    ORDER BY ts_rank_cd(c.search_vector, q.query) DESC, c.id
    LIMIT ${SEARCH_CANDIDATES_PER_RANKER}`;
  return rows.map((row) => row.id);
}

async function vectorRanking(tx: Tx, userId: string, embedding: number[]): Promise<string[]> {
  if (embedding.length === PGVECTOR_DIMENSIONS && (await hasPgvectorColumn(tx))) {
    const [counted] = await tx.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM knowledge_chunks WHERE user_id = ${userId}::uuid AND embedding_vector IS NOT NULL`;
    const statements = pgvectorRankingSql({ userId, embedding, exact: (counted?.n ?? 0) <= EXACT_VECTOR_SEARCH_MAX_ROWS });
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

const readyChunks = (userId: string) => Prisma.sql`
  knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id AND d.status = 'ready'
  WHERE c.user_id = ${userId}::uuid`;

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
        ORDER BY (c.embedding_vector <=> ${vector}::vector) + 0, c.id LIMIT ${limit}`,
    ];
  }
  return [
    Prisma.sql`SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
    Prisma.sql`SELECT set_config('hnsw.ef_search', ${String(Math.max(40, limit * 2))}, true)`,
    // Only chunk columns inside, so the index scan can serve the ORDER BY; whether the document
    // finished indexing is checked outside (a document being re-indexed may cost a few places).
    Prisma.sql`WITH nearest AS MATERIALIZED (
        SELECT c.id, c.document_id, c.embedding_vector <=> ${vector}::vector AS distance
        FROM knowledge_chunks c
        WHERE c.user_id = ${input.userId}::uuid
        ORDER BY c.embedding_vector <=> ${vector}::vector LIMIT ${limit}
      )
      SELECT n.id::text FROM nearest n JOIN knowledge_documents d ON d.id = n.document_id AND d.status = 'ready'
      ORDER BY n.distance, n.id`,
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
    ) DESC NULLS LAST, c.id
    LIMIT ${SEARCH_CANDIDATES_PER_RANKER}`;
}
