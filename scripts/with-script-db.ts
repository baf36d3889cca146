// The maintenance commands' way to the database: the repo's .env, then DATABASE_URL (or the embedded
// cluster, as `pnpm dev` would), the app role's connection, closed and stopped when the work is done.
import { existsSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "@audnix/db";
import { repoRoot, resolveDatabase } from "@audnix/db/admin";

/** Loads the repo's .env into process.env (before the caller reads any variable). */
export function loadRepoEnv(): void {
  const envFile = path.join(repoRoot, ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
}

export async function withScriptDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const target = await resolveDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
    profile: "development",
  });
  const db = createDb({ url: target.appUrl, maxConnections: 2 });
  try {
    return await work(db);
  } finally {
    await db.close();
    await target.stop();
  }
}
