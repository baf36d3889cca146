-- CreateEnum
CREATE TYPE "KnowledgeCrawlPageStatus" AS ENUM ('queued', 'fetched', 'skipped');

-- AlterTable
ALTER TABLE "knowledge_documents" ADD COLUMN     "content_type" TEXT,
ADD COLUMN     "filename" TEXT,
ADD COLUMN     "size_bytes" INTEGER,
ADD COLUMN     "source_revision" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "knowledge_files" (
    "document_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "bytes" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "knowledge_files_pkey" PRIMARY KEY ("document_id")
);

-- CreateTable
CREATE TABLE "knowledge_crawl_pages" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "status" "KnowledgeCrawlPageStatus" NOT NULL DEFAULT 'queued',
    "title" TEXT,
    "content" TEXT,
    "note" TEXT,
    "size_bytes" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "knowledge_crawl_pages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "knowledge_files_user_id_idx" ON "knowledge_files"("user_id");

-- CreateIndex
CREATE INDEX "knowledge_crawl_pages_user_id_idx" ON "knowledge_crawl_pages"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_crawl_pages_document_id_url_key" ON "knowledge_crawl_pages"("document_id", "url");

-- CreateIndex
CREATE UNIQUE INDEX "knowledge_crawl_pages_document_id_ordinal_key" ON "knowledge_crawl_pages"("document_id", "ordinal");

-- AddForeignKey
ALTER TABLE "knowledge_files" ADD CONSTRAINT "knowledge_files_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_files" ADD CONSTRAINT "knowledge_files_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "knowledge_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_crawl_pages" ADD CONSTRAINT "knowledge_crawl_pages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "knowledge_crawl_pages" ADD CONSTRAINT "knowledge_crawl_pages_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "knowledge_documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for new tenant tables
SELECT app_protect_tenant_table('"knowledge_files"', 'user_id');
SELECT app_protect_tenant_table('"knowledge_crawl_pages"', 'user_id');
