-- AlterTable
ALTER TABLE "brand_settings" ADD COLUMN     "owner_reply_pauses_ai" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "retried_at" TIMESTAMPTZ(3);
