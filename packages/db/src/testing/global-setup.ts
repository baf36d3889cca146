// vitest globalSetup: one Postgres for the whole run (DATABASE_URL's server, or the embedded test
// cluster), a migrated template database, and a login role bound by RLS for the app connections.
// Each test file then clones the template (createTestDatabase), so files never share state.
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { APP_ROLE, migrateDatabase, resolveDatabase, withClient, withCredentials, withDatabase } from "../admin/index.ts";
import { readMigrations } from "../admin/migration-files.ts";
import { packageRoot } from "../admin/paths.ts";
import type { TestDatabaseContext } from "./context.ts";

async function templateFingerprint(): Promise<string> {
  const migrations = await readMigrations();
  const hash = createHash("sha256");
  for (const dir of migrations.migrationDirectories) {
    hash.update(dir.path);
    if (dir.migrationFile.content.tag === "ok") hash.update(dir.migrationFile.content.value);
  }
  // graphile-worker's schema and our post-migration grants are part of the template too.
  const workerPackage = path.join(packageRoot, "node_modules/graphile-worker/package.json");
  hash.update(JSON.parse(await readFile(workerPackage, "utf8")).version as string);
  hash.update(await readFile(path.join(packageRoot, "src/admin/migrate.ts")));
  return hash.digest("hex").slice(0, 12);
}

async function ensureTemplate(adminUrl: string, runId: string): Promise<string> {
  const template = `audnix_tpl_${await templateFingerprint()}`;
  const exists = await withClient(adminUrl, (c) =>
    c.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]).then((r) => r.rowCount === 1),
  );
  if (exists) return template;
  // Built under a temporary name and renamed when complete, so a crash never leaves a half-made template.
  const building = `audnix_tpl_building_${runId}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${building}`));
  await migrateDatabase(withDatabase(adminUrl, building));
  await withClient(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await c.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    const stale = await c.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'audnix\\_tpl\\_%' AND datname <> $1 AND datname NOT LIKE 'audnix\\_tpl\\_building\\_%'",
      [template],
    );
    for (const { datname } of stale.rows) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(datname)} WITH (FORCE)`);
  });
  return template;
}

export default async function setup(project: TestProject) {
  const target = await resolveDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
    profile: "test",
  });
  const runId = randomBytes(4).toString("hex");
  const loginRole = `audnix_test_${runId}`;
  const loginPassword = randomBytes(12).toString("hex");
  let template: string;
  try {
    template = await ensureTemplate(target.adminUrl, runId);
    await withClient(target.adminUrl, (c) =>
      c.query(`CREATE ROLE ${loginRole} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${loginPassword}' IN ROLE ${APP_ROLE}`),
    );
  } catch (error) {
    await target.stop();
    throw error;
  }

  const context: TestDatabaseContext = {
    adminUrl: target.adminUrl,
    appUrl: withCredentials(target.adminUrl, loginRole, loginPassword),
    template,
    runId,
  };
  project.provide("audnixTestDatabase", context);

  return async () => {
    await withClient(target.adminUrl, async (c) => {
      const left = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
        `audnix_test_${runId}_%`,
      ]);
      for (const { datname } of left.rows) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(datname)} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${loginRole}`);
    });
    await target.stop();
  };
}
