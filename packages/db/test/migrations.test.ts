import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase, pendingSchemaChanges, withClient, withDatabase } from "../src/admin/index.ts";
import { migrationsDir, readSchema } from "../src/admin/migration-files.ts";
import "../src/testing/context.ts";

const { adminUrl } = inject("audnixTestDatabase");
const scratch = `audnix_test_${inject("audnixTestDatabase").runId}_empty_${randomBytes(3).toString("hex")}`;

afterAll(() => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)));

describe("migrations", () => {
  it("agree with schema.prisma (change the schema without a migration and this fails)", async () => {
    const missing = await pendingSchemaChanges(adminUrl);
    expect(missing, `schema.prisma has changes no migration covers; run pnpm db:migration:new <name>:\n${missing}`).toBe("");
  });

  it("create every table of the schema on an empty database, once", async () => {
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${scratch}`));
    const url = withDatabase(adminUrl, scratch);

    const first = await migrateDatabase(url);
    const second = await migrateDatabase(url);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(second.applied).toEqual([]);

    const expectedTables = [...(await readSchema()).matchAll(/@@map\("(\w+)"\)/g)].map(([, name]) => name).sort();
    const tables = await withClient(url, (c) =>
      c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'"),
    );
    expect(tables.rows.map((r) => r.tablename).sort()).toEqual(expectedTables);

    const workerSchema = await withClient(url, (c) => c.query("SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker'"));
    expect(workerSchema.rowCount).toBe(1);
  });

  it("record Prisma-compatible history (sha256 checksums), so `prisma migrate deploy` agrees", async () => {
    const url = withDatabase(adminUrl, scratch);
    const history = await withClient(url, (c) =>
      c.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        "SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name",
      ),
    );
    for (const row of history.rows) {
      const sql = await readFile(path.join(migrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
  });
});
