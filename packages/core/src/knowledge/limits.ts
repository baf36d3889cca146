// The sizes knowledge ingestion and search work with, named once: core, the job, the API and the
// evaluation all read them from here (docs/decisions/0018).

/** A chunk aims at this many estimated tokens: enough for a paragraph or two, small enough that a passage is about one thing. */
export const CHUNK_TARGET_TOKENS = 300;
/** The tail of a chunk repeated at the start of the next, so a sentence cut at the seam is found from either side. */
export const CHUNK_OVERLAP_TOKENS = 50;
/** A heading longer than this is treated as text, and each path entry is cut to it. */
export const HEADING_MAX_CHARS = 120;

/** Pasted text or an extracted file: about 200 dense pages. */
export const KNOWLEDGE_DOCUMENT_MAX_CHARS = 1_000_000;
export const KNOWLEDGE_TITLE_MAX_CHARS = 200;
export const FAQ_QUESTION_MAX_CHARS = 500;
export const FAQ_ANSWER_MAX_CHARS = 5_000;
/** How many documents one owner keeps; far above a small business's FAQ, well below abuse. */
export const KNOWLEDGE_DOCUMENTS_PER_USER_MAX = 500;

/** Chunks written (and embedded) per database transaction: a big document commits in bounded steps. */
export const INGEST_BATCH_CHUNKS = 64;
/** Inputs per embeddings request (OpenAI accepts 2,048 inputs and 300k tokens per request). */
export const EMBEDDING_BATCH_SIZE = 64;

/** What a search reads of a lead's message: the latest lines carry the question. */
export const SEARCH_QUERY_MAX_CHARS = 1_000;
/** Words kept from a query, after noise words are dropped. */
export const SEARCH_QUERY_MAX_TERMS = 24;
/** Words of at least this length also match by prefix, which absorbs plurals and late typos ("shiping"). */
export const SEARCH_PREFIX_MIN_WORD_CHARS = 6;
/** How many letters a prefix keeps at least. */
export const SEARCH_PREFIX_MIN_CHARS = 4;
/** Passages each ranker (lexical, vector) contributes before fusion. */
export const SEARCH_CANDIDATES_PER_RANKER = 20;
export const SEARCH_DEFAULT_LIMIT = 5;
export const SEARCH_MAX_LIMIT = 20;
/** Reciprocal rank fusion's constant (Cormack et al. 2009; the value every hybrid search uses). */
export const RRF_K = 60;
/**
 * A tenant with at most this many indexed chunks is searched over its own rows, one by one (exact
 * cosine; full-text match without the GIN index), which costs little and loses nothing to index
 * post-filtering; above it the GIN and HNSW (iterative scans) indexes serve.
 */
export const TENANT_SCAN_MAX_CHUNKS = 20_000;
