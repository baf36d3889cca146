-- AlterTable
ALTER TABLE "connections" ADD COLUMN     "undo_disconnect_until" TIMESTAMPTZ(3);
