// pnpm analytics:rebuild [--owner <user id>]: recomputes the analytics rollups (and the columns they
// derive from) from the raw messages and leads, for one owner or every owner (docs/decisions/0030).
// Run it after importing data with the triggers disabled or after fixing a rollup rule. The
// triggers keep the rollups exact otherwise; running it again changes nothing.
import { parseArgs } from "node:util";
import { rebuildAnalyticsRollups } from "@audnix/db";
import { loadRepoEnv, withScriptDb } from "./with-script-db.ts";

loadRepoEnv();

const { values } = parseArgs({ options: { owner: { type: "string" } }, strict: true });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const owner = values.owner;
if (owner !== undefined && (owner.length !== 36 || !UUID.test(owner))) {
  console.error("Usage: pnpm analytics:rebuild [--owner <user id (uuid)>]");
  process.exit(2);
}

await withScriptDb(async (db) => {
  const started = performance.now();
  const rebuilt = await rebuildAnalyticsRollups(db, owner ? { userId: owner } : {});
  const days = rebuilt.reduce((sum, row) => sum + row.days, 0);
  console.log(
    `rebuilt the analytics of ${rebuilt.length} owner${rebuilt.length === 1 ? "" : "s"} (${days} day${days === 1 ? "" : "s"} with activity) in ${Math.round(performance.now() - started)} ms`,
  );
});
