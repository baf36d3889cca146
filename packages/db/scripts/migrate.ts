// pnpm db:migrate: applies pending migrations (and graphile-worker's schema) to DATABASE_ADMIN_URL
// (default DATABASE_URL), or to the embedded development cluster when DATABASE_URL is unset.
import { migrateDatabase } from "../src/admin/index.ts";
import { withDatabase } from "./with-database.ts";

await withDatabase(async (target) => {
  const { applied } = await migrateDatabase(target.adminUrl);
  const where = target.embedded ? "embedded Postgres (.data/postgres)" : "DATABASE_URL's server";
  console.log(applied.length ? `Applied to ${where}:\n${applied.map((n) => `  ${n}`).join("\n")}` : `${where} is up to date.`);
  return 0;
});
