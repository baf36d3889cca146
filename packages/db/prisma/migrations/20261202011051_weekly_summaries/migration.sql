-- CreateEnum
CREATE TYPE "SummaryKind" AS ENUM ('weekly', 'week_to_date');

-- CreateEnum
CREATE TYPE "SummaryStatus" AS ENUM ('pending', 'sending', 'sent', 'unconfirmed', 'failed', 'not_emailed');

-- AlterTable
ALTER TABLE "brand_settings" ADD COLUMN     "weekly_summary_enabled" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "weekly_summaries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "kind" "SummaryKind" NOT NULL,
    "week_start" DATE NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "content" JSONB,
    "status" "SummaryStatus" NOT NULL DEFAULT 'pending',
    "sent_at" TIMESTAMPTZ(3),
    "email_message_id" TEXT,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "weekly_summaries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "weekly_summaries_user_id_week_start_idx" ON "weekly_summaries"("user_id", "week_start" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "weekly_summaries_user_id_kind_week_start_key" ON "weekly_summaries"("user_id", "kind", "week_start");

-- AddForeignKey
ALTER TABLE "weekly_summaries" ADD CONSTRAINT "weekly_summaries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-level security for new tenant tables
SELECT app_protect_tenant_table('"weekly_summaries"', 'user_id');
