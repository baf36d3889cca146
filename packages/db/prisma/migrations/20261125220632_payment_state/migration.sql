-- AlterTable
ALTER TABLE "payment_events" ADD COLUMN     "customer_id" TEXT,
ADD COLUMN     "plan_state" "Plan";

-- CreateIndex
CREATE INDEX "payment_events_provider_customer_id_idx" ON "payment_events"("provider", "customer_id");
