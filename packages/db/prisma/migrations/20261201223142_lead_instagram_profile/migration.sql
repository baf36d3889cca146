-- The lead's Instagram profile (User Profile API, docs/decisions/0023): username, and what became
-- of the fetch. The name goes to the existing leads.name column.

-- CreateEnum
CREATE TYPE "LeadProfileStatus" AS ENUM ('fetched', 'unavailable', 'failed');

-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "profile_fetched_at" TIMESTAMPTZ(3),
ADD COLUMN     "profile_status" "LeadProfileStatus",
ADD COLUMN     "username" TEXT;
