-- CreateEnum
CREATE TYPE "MemoryKind" AS ENUM ('conversation_summary');

-- AlterTable
-- Nothing wrote semantic_memory before this migration; a row with another kind makes the cast fail
-- loudly rather than be guessed at.
ALTER TABLE "semantic_memory" ALTER COLUMN "kind" TYPE "MemoryKind" USING "kind"::"MemoryKind";
ALTER TABLE "semantic_memory" ADD COLUMN     "covers_until" TIMESTAMPTZ(3),
ADD COLUMN     "embedding_model" TEXT,
ADD COLUMN     "message_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "semantic_memory" SET "covers_until" = "created_at";
ALTER TABLE "semantic_memory" ALTER COLUMN "covers_until" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "semantic_memory_lead_id_kind_key" ON "semantic_memory"("lead_id", "kind");
