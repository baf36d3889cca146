import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withClient } from "../src/admin/index.ts";
import { migrationsDir } from "../src/admin/migration-files.ts";
import { useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
const MIGRATION = "20261201194738_capture_per_entry_and_instant_opt_out";
const PAUSE_MIGRATION = "20261201223108_lead_ai_paused_at";

// The data step of the migration that made opt-out and the plan's refusal typed columns: run again
// on rows shaped as the old code wrote them (lead_facts opt_out = "true", ai_blocked_reason = reason).
async function dataStep(migration = MIGRATION): Promise<string> {
  const sql = await readFile(path.join(migrationsDir, migration, "migration.sql"), "utf8");
  const start = sql.indexOf("DO $$");
  return sql.slice(start, sql.indexOf("$$;", start) + 3);
}

describe(`migration ${MIGRATION}`, () => {
  it("moves opt_out and ai_blocked_reason facts into the lead's columns and deletes them", async () => {
    const step = await dataStep();
    const result = await withClient(t.adminUrl, async (c) => {
      const user = await c.query<{ id: string }>("INSERT INTO users (email, plan) VALUES ('migrate@shop.example', 'starter') RETURNING id");
      const owner = user.rows[0]?.id;
      const leads = await c.query<{ id: string }>(
        `INSERT INTO leads (user_id, external_id, channel, status, last_message_at) VALUES
           ($1, 'fact-opt-out', 'instagram', 'replied', now()), ($1, 'blocked', 'instagram', 'new', now()),
           ($1, 'status-only', 'instagram', 'opted_out', '2026-01-01T00:00:00Z'), ($1, 'odd-reason', 'instagram', 'new', now())
         RETURNING id`,
        [owner],
      );
      const [optOut, blocked, , odd] = leads.rows.map((row) => row.id);
      await c.query(
        `INSERT INTO lead_facts (user_id, lead_id, key, value, updated_at) VALUES
           ($1, $2, 'opt_out', 'true', '2026-02-02T00:00:00Z'), ($1, $3, 'ai_blocked_reason', 'trial_expired', now()),
           ($1, $4, 'ai_blocked_reason', 'not-a-reason', now()), ($1, $4, 'timezone', 'UTC', now())`,
        [owner, optOut, blocked, odd],
      );
      await c.query(step);
      const after = await c.query("SELECT external_id, status, opted_out_at, ai_blocked_reason FROM leads ORDER BY external_id");
      const facts = await c.query("SELECT key FROM lead_facts");
      return { leads: after.rows, facts: facts.rows };
    });
    expect(result.leads).toEqual([
      { external_id: "blocked", status: "new", opted_out_at: null, ai_blocked_reason: "trial_expired" },
      { external_id: "fact-opt-out", status: "opted_out", opted_out_at: new Date("2026-02-02T00:00:00Z"), ai_blocked_reason: null },
      // An unknown reason string is dropped with its fact: the lead is not blocked.
      { external_id: "odd-reason", status: "new", opted_out_at: null, ai_blocked_reason: null },
      { external_id: "status-only", status: "opted_out", opted_out_at: new Date("2026-01-01T00:00:00Z"), ai_blocked_reason: null },
    ]);
    expect(result.facts).toEqual([{ key: "timezone" }]);
  });
});

describe(`migration ${PAUSE_MIGRATION}`, () => {
  it("moves the owner's ai_paused fact into leads.ai_paused_at, dated when it was set, and deletes it", async () => {
    const step = await dataStep(PAUSE_MIGRATION);
    const result = await withClient(t.adminUrl, async (c) => {
      const user = await c.query<{ id: string }>("INSERT INTO users (email, plan) VALUES ('pause@shop.example', 'starter') RETURNING id");
      const owner = user.rows[0]?.id;
      const leads = await c.query<{ id: string }>(
        `INSERT INTO leads (user_id, external_id, channel) VALUES ($1, 'paused', 'instagram'), ($1, 'odd-value', 'instagram')
         RETURNING id`,
        [owner],
      );
      const [paused, odd] = leads.rows.map((row) => row.id);
      await c.query(
        `INSERT INTO lead_facts (user_id, lead_id, key, value, updated_at) VALUES
           ($1, $2, 'ai_paused', 'true', '2026-03-03T00:00:00Z'), ($1, $3, 'ai_paused', 'yes', now()),
           ($1, $3, 'unsubscribe_token', 'kept', now())`,
        [owner, paused, odd],
      );
      await c.query(step);
      const after = await c.query("SELECT external_id, ai_paused_at FROM leads WHERE user_id = $1 ORDER BY external_id", [owner]);
      const facts = await c.query("SELECT key FROM lead_facts WHERE user_id = $1", [owner]);
      return { leads: after.rows, facts: facts.rows };
    });
    expect(result.leads).toEqual([
      // Only the string the old code wrote meant "paused".
      { external_id: "odd-value", ai_paused_at: null },
      { external_id: "paused", ai_paused_at: new Date("2026-03-03T00:00:00Z") },
    ]);
    expect(result.facts).toEqual([{ key: "unsubscribe_token" }]);
  });
});

const MEMORY_MIGRATION = "20261201224241_lead_memory_facts";

describe(`migration ${MEMORY_MIGRATION}`, () => {
  it("moves preferred_name, timezone and language into typed facts (the owner's stay the owner's) and keeps the unsubscribe token", async () => {
    const step = await dataStep(MEMORY_MIGRATION);
    const result = await withClient(t.adminUrl, async (c) => {
      const user = await c.query<{ id: string }>("INSERT INTO users (email, plan) VALUES ('memory@shop.example', 'starter') RETURNING id");
      const owner = user.rows[0]?.id;
      const lead = await c.query<{ id: string }>("INSERT INTO leads (user_id, external_id, channel) VALUES ($1, 'facts', 'instagram') RETURNING id", [owner]);
      await c.query(
        `INSERT INTO lead_facts (user_id, lead_id, key, value, source, updated_at) VALUES
           ($1, $2, 'preferred_name', 'Sam', 'owner', '2026-04-04T00:00:00Z'), ($1, $2, 'timezone', 'Europe/Berlin', 'system', now()),
           ($1, $2, 'language', '  ', 'system', now()), ($1, $2, 'unsubscribe_token', 'kept', 'system', now())`,
        [owner, lead.rows[0]?.id],
      );
      await c.query(step);
      const facts = await c.query("SELECT kind, value, source, observed_at FROM lead_memory_facts WHERE user_id = $1 ORDER BY kind", [owner]);
      const left = await c.query("SELECT key FROM lead_facts WHERE user_id = $1", [owner]);
      return { facts: facts.rows, left: left.rows };
    });
    expect(result.facts).toMatchObject([
      { kind: "preferred_name", value: "Sam", source: "owner", observed_at: new Date("2026-04-04T00:00:00Z") },
      { kind: "timezone", value: "Europe/Berlin", source: "rules" },
    ]);
    // A blank value was no fact: dropped with its row.
    expect(result.left).toEqual([{ key: "unsubscribe_token" }]);
  });
});
