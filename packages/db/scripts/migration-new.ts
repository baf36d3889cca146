// pnpm db:migration:new <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
// SQL that brings the migrations in line with schema.prisma, protecting new tenant tables with RLS.
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pendingSchemaChanges } from "../src/admin/index.ts";
import { migrationsDir } from "../src/admin/migration-files.ts";
import { withDatabase } from "./with-database.ts";

const name = process.argv[2] ?? "";
if (!/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: pnpm db:migration:new <name>   (lower-case letters, digits and _)");
  process.exit(2);
}

// A new table owned by a user gets the same policy as every other (docs/decisions/0003).
function rowLevelSecurityFor(sql: string): string {
  const tenantTables = [...sql.matchAll(/CREATE TABLE "(\w+)" \(([\s\S]*?)\n\);/g)]
    .filter(([, , body]) => /"user_id"/.test(body ?? ""))
    .map(([, table]) => table);
  if (!tenantTables.length) return "";
  return `\n-- Row-level security for new tenant tables\n${tenantTables
    .map((t) => `SELECT app_protect_tenant_table('"${t}"', 'user_id');`)
    .join("\n")}\n`;
}

await withDatabase(async (target) => {
  const sql = await pendingSchemaChanges(target.adminUrl);
  if (!sql) {
    console.log("schema.prisma and prisma/migrations already agree: no migration written.");
    return 0;
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql + rowLevelSecurityFor(sql));
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql. Review it, then run pnpm db:migrate.`);
  const generate = spawnSync("tsx", [path.join(import.meta.dirname, "prisma.ts"), "generate"], { stdio: "inherit" });
  return generate.status ?? 1;
});
