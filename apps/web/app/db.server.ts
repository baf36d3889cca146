import { createDb, type Db } from "@audnix/db";
import { getEnv } from "./env.server.ts";
import { logger } from "./logger.server.ts";

// The dev server re-evaluates modules on every edit; keeping the handle on globalThis stops each
// edit from opening another connection pool.
const globalCache = globalThis as typeof globalThis & { __audnixWebDb?: Db };

function connect(): Db {
  const db = createDb({ url: getEnv().DATABASE_URL });
  // Serving tenants through a role that skips row-level security would silently drop isolation.
  db.assertRowLevelSecurityApplies().catch((error: unknown) => {
    logger.error("refusing to start: database role check failed", { error });
    process.exit(1);
  });
  return db;
}

/** The process-wide database handle. */
export const db: Db = (globalCache.__audnixWebDb ??= connect());
