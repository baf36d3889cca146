import { randomBytes } from "node:crypto";
import { migrateDatabase, resolveDatabase, withClient, withDatabase } from "@audnix/db/admin";

export interface BenchDatabase {
  adminUrl: string;
  appUrl: string;
  /** True when it lives in the embedded cluster (reported with the figures). */
  embedded: boolean;
  /** Drops the database and stops the embedded cluster, if this run started it. */
  drop(): Promise<void>;
}

/** A freshly migrated database of its own for one benchmark, on DATABASE_URL's server or the embedded one. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const target = await resolveDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
    profile: "development",
  });
  const database = `audnix_bench_${randomBytes(4).toString("hex")}`;
  await withClient(target.adminUrl, (c) => c.query(`CREATE DATABASE ${database}`));
  const adminUrl = withDatabase(target.adminUrl, database);
  await migrateDatabase(adminUrl);
  return {
    adminUrl,
    appUrl: withDatabase(target.appUrl, database),
    embedded: target.embedded,
    drop: async () => {
      await withClient(target.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      await target.stop();
    },
  };
}
