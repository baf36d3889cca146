-- CreateEnum
CREATE TYPE "NeedsOwnerReason" AS ENUM ('unanswered_question');

-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "needs_owner_at" TIMESTAMPTZ(3),
ADD COLUMN     "needs_owner_detail" TEXT,
ADD COLUMN     "needs_owner_reason" "NeedsOwnerReason";

-- CreateIndex
CREATE INDEX "leads_user_id_needs_owner_at_idx" ON "leads"("user_id", "needs_owner_at");

-- The flag is one fact in two columns: when and why, set and cleared together (docs/decisions/0021).
ALTER TABLE "leads" ADD CONSTRAINT "leads_needs_owner_pair" CHECK (("needs_owner_at" IS NULL) = ("needs_owner_reason" IS NULL));
