// pnpm analytics:rebuild [--owner <user id>]: recomputes the analytics rollups (and the columns they
// derive from) from the raw messages and leads, for one owner or every owner (docs/decisions/0030).
// Run it after importing data with the triggers disabled or after fixing a rollup rule. The
// triggers keep the rollups exact otherwise; running it again changes nothing.
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb, rebuildAnalyticsRollups } from "@audnix/db";
import { repoRoot, resolveDatabase } from "@audnix/db/admin";

const envFile = path.join(repoRoot, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const { values } = parseArgs({ options: { owner: { type: "string" } }, strict: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const owner = values.owner;
if (owner !== undefined && (owner.length !== 36 || !UUID.test(owner))) {
  console.error("Usage: pnpm analytics:rebuild [--owner <user id (uuid)>]");
  process.exit(2);
}

const target = await resolveDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
  profile: "development",
});
const db = createDb({ url: target.appUrl, maxConnections: 2 });
try {
  const started = performance.now();
  const rebuilt = await rebuildAnalyticsRollups(db, owner ? { userId: owner } : {});
  const days = rebuilt.reduce((sum, row) => sum + row.days, 0);
  console.log(
    `rebuilt the analytics of ${rebuilt.length} owner${rebuilt.length === 1 ? "" : "s"} (${days} day${days === 1 ? "" : "s"} with activity) in ${Math.round(performance.now() - started)} ms`,
  );
} finally {
  await db.close();
  await target.stop();
}
