-- CreateEnum
CREATE TYPE "KnowledgeKind" AS ENUM ('text', 'faq', 'file', 'url');

-- CreateEnum
CREATE TYPE "KnowledgeStatus" AS ENUM ('processing', 'ready', 'failed');

-- DropIndex
DROP INDEX "knowledge_documents_user_id_idx";

-- AlterTable
ALTER TABLE "knowledge_chunks" ADD COLUMN     "heading_path" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "search_vector" tsvector,
ADD COLUMN     "token_estimate" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "knowledge_documents" ADD COLUMN     "chunk_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "content_hash" TEXT,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "kind" "KnowledgeKind" NOT NULL DEFAULT 'text',
ADD COLUMN     "size_chars" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "status" "KnowledgeStatus" NOT NULL DEFAULT 'processing',
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "knowledge_chunks_search_vector_idx" ON "knowledge_chunks" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "knowledge_documents_user_id_created_at_idx" ON "knowledge_documents"("user_id", "created_at" DESC);

-- Accent folding for full-text search (docs/decisions/0018): "envío" and "envio" must meet, since
-- leads type without accents. unaccent ships with Postgres's contrib (PG 15 packages and the
-- embedded PG 18 both have it); where a server lacks it, folding is the identity and search still
-- works, only accent-blind matching is lost. Wrapped IMMUTABLE so it may be used at write and query
-- time alike (unaccent itself is STABLE because its rules file could change).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS unaccent;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'unaccent is available but this role may not create it; search will not fold accents';
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
    EXECUTE $fn$CREATE OR REPLACE FUNCTION knowledge_fold(input text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN unaccent('unaccent'::regdictionary, input)$fn$;
  ELSE
    EXECUTE $fn$CREATE OR REPLACE FUNCTION knowledge_fold(input text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN input$fn$;
  END IF;
END $$;

-- pgvector where the server has it (Supabase, Neon, RDS, Cloud SQL), nothing where it does not: the
-- migration must apply on both (docs/decisions/0004, 0018). embedding (real[]) stays the column the
-- application writes; a trigger mirrors embeddings of the indexed width into embedding_vector, which
-- an HNSW index serves. Other widths stay on the exact real[] path.
CREATE FUNCTION knowledge_chunks_mirror_embedding() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.embedding_vector := CASE WHEN cardinality(NEW.embedding) = 1536 THEN NEW.embedding::vector(1536) END;
  RETURN NEW;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    RETURN;
  END IF;
  BEGIN
    CREATE EXTENSION IF NOT EXISTS vector;
  EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pgvector is available but this role may not create it; vector search stays exact';
    RETURN;
  END;
  ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding_vector vector(1536);
  CREATE INDEX IF NOT EXISTS knowledge_chunks_embedding_hnsw
    ON knowledge_chunks USING hnsw (embedding_vector vector_cosine_ops);
  CREATE TRIGGER knowledge_chunks_mirror_embedding
    BEFORE INSERT OR UPDATE OF embedding ON knowledge_chunks
    FOR EACH ROW EXECUTE FUNCTION knowledge_chunks_mirror_embedding();
  UPDATE knowledge_chunks SET embedding = embedding WHERE cardinality(embedding) = 1536;
END $$;
