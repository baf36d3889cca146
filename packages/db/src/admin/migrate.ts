import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { openMigrationEngine } from "./schema-engine.ts";
import { readMigrations, readSchema } from "./migration-files.ts";
import { withoutSqlOnlyIndexDrops } from "./sql-only-indexes.ts";
import { APP_ROLE, withClient } from "./roles.ts";

const silentWorkerLogger = new Logger(() => () => {});

// graphile-worker installs its own schema; the app role only needs to use it. graphile-worker
// also enables row-level security (without policies) on its private tables, which would hide
// every job from a role that does not own them, so the app role gets an allow-all policy on each
// such table, including any a future graphile-worker version adds. Its jobs are not tenant data.
const workerGrants = `
  GRANT USAGE ON SCHEMA graphile_worker TO ${APP_ROLE};
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA graphile_worker TO ${APP_ROLE};
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO ${APP_ROLE};
  GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO ${APP_ROLE};
  DO $$
  DECLARE t regclass;
  BEGIN
    FOR t IN
      SELECT c.oid::regclass FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relrowsecurity
        AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'audnix_app_worker_access')
    LOOP
      EXECUTE format('CREATE POLICY audnix_app_worker_access ON %s TO ${APP_ROLE} USING (true) WITH CHECK (true)', t);
    END LOOP;
  END
  $$;
`;

export interface MigrationReport {
  /** Prisma migrations applied by this run, oldest first. */
  applied: string[];
}

/**
 * Brings a database up to date: the Prisma migrations (with their row-level security), then
 * graphile-worker's schema. Runs as an owner/superuser URL; the app role never migrates.
 */
export async function migrateDatabase(adminUrl: string): Promise<MigrationReport> {
  const engine = await openMigrationEngine(adminUrl, await readSchema());
  let applied: string[];
  try {
    applied = await engine.applyMigrations(await readMigrations());
  } finally {
    await engine.dispose();
  }
  await runWorkerMigrations({ connectionString: adminUrl, logger: silentWorkerLogger });
  await withClient(adminUrl, (client) => client.query(workerGrants));
  return { applied };
}

/** The SQL that would bring the migrations in line with schema.prisma; empty when they agree. */
export async function pendingSchemaChanges(adminUrl: string): Promise<string> {
  const engine = await openMigrationEngine(adminUrl, await readSchema());
  try {
    return withoutSqlOnlyIndexDrops(await engine.diffMigrationsToSchema(await readMigrations(), await readSchema()));
  } finally {
    await engine.dispose();
  }
}
