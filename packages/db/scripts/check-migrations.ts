// pnpm db:check: fails when schema.prisma says something the migrations do not.
import { pendingSchemaChanges } from "../src/admin/index.ts";
import { withDatabase } from "./with-database.ts";

await withDatabase(async (target) => {
  const sql = await pendingSchemaChanges(target.adminUrl);
  if (!sql) {
    console.log("schema.prisma and prisma/migrations agree.");
    return 0;
  }
  console.error("schema.prisma has changes no migration covers. Run `pnpm db:migration:new <name>`.\n");
  console.error(sql);
  return 1;
});
