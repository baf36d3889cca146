-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "sandbox_run_id" TEXT;
