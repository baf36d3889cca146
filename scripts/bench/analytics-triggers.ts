import { withClient } from "@audnix/db/admin";

// The triggers that keep the analytics rollups (migration analytics_rollups). Benches switch them
// off to measure what their upkeep costs the capture and send paths, in the same run.
const TRIGGERS = [
  ["messages", "analytics_rollup"],
  ["messages", "analytics_rollup_update"],
  ["messages", "analytics_links"],
  ["leads", "analytics_rollup"],
  ["leads", "analytics_rollup_update"],
] as const;

export function setAnalyticsTriggers(adminUrl: string, enabled: boolean): Promise<void> {
  const verb = enabled ? "ENABLE" : "DISABLE";
  return withClient(adminUrl, async (c) => {
    for (const [table, trigger] of TRIGGERS) await c.query(`ALTER TABLE ${table} ${verb} TRIGGER ${trigger}`);
  });
}
