import { beforeAll, describe, expect, it } from "vitest";
import { describeRlsBypass, withClient } from "../src/admin/index.ts";
import { createDb } from "../src/index.ts";
import { useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let alice: string;
let bob: string;
let aliceLead: string;

beforeAll(async () => {
  [alice, bob] = await t.db.asSystem(async (tx) => {
    const a = await tx.user.create({ data: { email: "alice@example.com" } });
    const b = await tx.user.create({ data: { email: "bob@example.com" } });
    return [a.id, b.id];
  });
  aliceLead = await t.db.asSystem(async (tx) => {
    const lead = await tx.lead.create({ data: { userId: alice, externalId: "ig-1", channel: "instagram", name: "Maya" } });
    await tx.lead.create({ data: { userId: bob, externalId: "ig-2", channel: "instagram", name: "Omar" } });
    await tx.message.create({
      data: { userId: alice, leadId: lead.id, channel: "instagram", direction: "inbound", author: "lead", body: "hi", providerMessageId: "m1" },
    });
    return lead.id;
  });
});

describe("row-level security through the app role", () => {
  it("connects as a role that cannot bypass RLS", async () => {
    expect(await describeRlsBypass(t.appUrl)).toBeNull();
  });

  it("shows a user only their own rows through the ORM", async () => {
    const leads = await t.db.asUser(bob, (tx) => tx.lead.findMany());
    expect(leads.map((l) => l.name)).toEqual(["Omar"]);
    const users = await t.db.asUser(bob, (tx) => tx.user.findMany());
    expect(users.map((u) => u.email)).toEqual(["bob@example.com"]);
  });

  it("hides another user's rows from a hand-written query", async () => {
    const rows = await t.db.asUser(bob, (tx) => tx.$queryRaw<unknown[]>`SELECT * FROM leads WHERE user_id = ${alice}::uuid`);
    expect(rows).toEqual([]);
    const messages = await t.db.asUser(bob, (tx) => tx.$queryRaw<unknown[]>`SELECT body FROM messages`);
    expect(messages).toEqual([]);
  });

  it("cannot change or delete another user's rows", async () => {
    const updated = await t.db.asUser(bob, (tx) => tx.$executeRaw`UPDATE leads SET name = 'pwned' WHERE id = ${aliceLead}::uuid`);
    const deleted = await t.db.asUser(bob, (tx) => tx.$executeRaw`DELETE FROM leads WHERE user_id = ${alice}::uuid`);
    expect([updated, deleted]).toEqual([0, 0]);
    const lead = await t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: aliceLead } }));
    expect(lead.name).toBe("Maya");
  });

  it("cannot write rows into another user's account", async () => {
    await expect(
      t.db.asUser(bob, (tx) => tx.lead.create({ data: { userId: alice, externalId: "ig-3", channel: "instagram" } })),
    ).rejects.toThrow(/row-level security/);
    await expect(
      t.db.asUser(bob, (tx) => tx.$executeRaw`UPDATE leads SET user_id = ${alice}::uuid WHERE user_id = ${bob}::uuid`),
    ).rejects.toThrow(/row-level security/);
  });

  it("shows nothing to a connection that set no user (fails closed)", async () => {
    const rows = await withClient(t.appUrl, (c) => c.query("SELECT id FROM leads"));
    expect(rows.rowCount).toBe(0);
  });

  it("lets the explicit system path cross tenants", async () => {
    const count = await t.db.asSystem((tx) => tx.lead.count());
    expect(count).toBe(2);
  });

  it("refuses a user id that is not a uuid", async () => {
    await expect(t.db.asUser("' OR 1=1 --", (tx) => tx.lead.findMany())).rejects.toThrow(/uuid/);
  });

  it("keeps a lead's memory facts to their owner, against hand-written SQL", async () => {
    await t.db.asSystem((tx) =>
      tx.leadMemoryFact.create({ data: { userId: alice, leadId: aliceLead, kind: "email", value: "maya@shop.example", source: "rules", observedAt: new Date() } }),
    );
    const seen = await t.db.asUser(bob, (tx) => tx.$queryRaw<unknown[]>`SELECT value FROM lead_memory_facts`);
    const changed = await t.db.asUser(bob, (tx) => tx.$executeRaw`UPDATE lead_memory_facts SET value = 'pwned@x.example'`);
    expect([seen, changed]).toEqual([[], 0]);
    await expect(
      t.db.asUser(bob, (tx) =>
        tx.$executeRaw`INSERT INTO lead_memory_facts (user_id, lead_id, kind, value, source, observed_at)
                       VALUES (${alice}::uuid, ${aliceLead}::uuid, 'phone', '+4915123456789', 'owner', now())`,
      ),
    ).rejects.toThrow(/row-level security/);
    const mine = await t.db.asUser(alice, (tx) => tx.leadMemoryFact.findMany({ select: { value: true } }));
    expect(mine).toEqual([{ value: "maya@shop.example" }]);
  });

  it("keeps an owner's weekly summaries to them, against hand-written SQL", async () => {
    await t.db.asSystem((tx) => tx.weeklySummary.create({ data: { userId: alice, kind: "weekly", weekStart: new Date("2026-11-23T00:00:00Z"), periodEnd: new Date("2026-11-30T00:00:00Z") } }));
    const seen = await t.db.asUser(bob, (tx) => tx.$queryRaw<unknown[]>`SELECT content FROM weekly_summaries`);
    const changed = await t.db.asUser(bob, (tx) => tx.$executeRaw`UPDATE weekly_summaries SET status = 'sent'`);
    expect([seen, changed]).toEqual([[], 0]);
    await expect(
      t.db.asUser(bob, (tx) =>
        tx.$executeRaw`INSERT INTO weekly_summaries (user_id, kind, week_start, period_end) VALUES (${alice}::uuid, 'weekly', '2026-11-30', now())`,
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await t.db.asUser(alice, (tx) => tx.weeklySummary.count())).toBe(1);
  });

  it("protects every table that holds a user's rows", async () => {
    const unprotected = await withClient(t.adminUrl, (c) =>
      c.query<{ table: string }>(`
        SELECT c.relname AS table
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        WHERE c.relkind = 'r'
          AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id') OR c.relname = 'users')
          AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                   AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'))`),
    );
    expect(unprotected.rows).toEqual([]);
  });
});

describe("startup guard", () => {
  it("accepts the app role", async () => {
    await expect(t.db.assertRowLevelSecurityApplies()).resolves.toBeUndefined();
  });

  it("refuses a superuser connection, naming the role", async () => {
    const admin = createDb({ url: t.adminUrl, maxConnections: 1 });
    try {
      await expect(admin.assertRowLevelSecurityApplies()).rejects.toThrow(/bypasses row-level security/);
    } finally {
      await admin.close();
    }
  });
});
