-- AlterTable
ALTER TABLE "leads" ADD COLUMN     "status_before_conversion" "LeadStatus";
