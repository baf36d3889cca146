import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { withClient, withDatabase } from "../admin/roles.ts";
import { createDb, type Db } from "../client.ts";
import "./context.ts";

export interface TestDatabase {
  /** App-role URL (RLS enforced): give it to child processes as DATABASE_URL. */
  appUrl: string;
  /** Owner URL of the same database, for setup that must bypass the app. */
  adminUrl: string;
  /** A Db on appUrl. */
  db: Db;
  destroy(): Promise<void>;
}

/** A migrated database of its own for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const context = inject("audnixTestDatabase");
  const name = `audnix_test_${context.runId}_${randomBytes(4).toString("hex")}`;
  await withClient(context.adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${context.template}`));
  const appUrl = withDatabase(context.appUrl, name);
  const adminUrl = withDatabase(context.adminUrl, name);
  const db = createDb({ url: appUrl, maxConnections: 5 });
  return {
    appUrl,
    adminUrl,
    db,
    async destroy() {
      await db.close();
      await withClient(context.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
