// Tooling-only entry (@audnix/db/admin): migrations, local clusters, roles. Never imported by
// request-handling code.
export { migrateDatabase, pendingSchemaChanges, type MigrationReport } from "./migrate.ts";
export { resolveDatabase, type DatabaseTarget, type ResolveDatabaseOptions } from "./local-database.ts";
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from "./embedded-postgres.ts";
export { APP_ROLE, describeRlsBypass, ensureAppLogin, withClient, withCredentials, withDatabase } from "./roles.ts";
export { localDataRoot, repoRoot } from "./paths.ts";
