import { randomUUID } from "node:crypto";
import type { PaymentEvent } from "@audnix/core";
import { beforeEach, describe, expect, it } from "vitest";
import { withClient } from "../src/admin/index.ts";
import { billingOverview, consumeVoiceMinutes, createDb, recordPaymentEvent } from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute));

function event(overrides: Partial<PaymentEvent> = {}): PaymentEvent {
  return {
    provider: "stripe",
    eventId: `evt_${randomUUID()}`,
    eventName: "checkout.session.completed",
    occurredAt: at(0),
    userId: owner,
    customerId: "cus_owner",
    objectId: `cs_${randomUUID()}`,
    planState: "starter",
    amountCents: 2900,
    currency: "usd",
    ...overrides,
  };
}

const record = (e: PaymentEvent) => recordPaymentEvent(t.db, { event: e, payload: { id: e.eventId }, receivedAt: at(30) });
const planOf = (userId: string) => t.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: userId } })).then((u) => u.plan);

beforeEach(async () => {
  await withClient(t.adminUrl, (c) => c.query("TRUNCATE users CASCADE"));
  ({ owner, stranger } = await createOwnerAndStranger(t.db, "trial"));
});

describe("recordPaymentEvent", () => {
  it("puts the buyer on the plan the checkout names", async () => {
    expect(await record(event())).toEqual({ outcome: "recorded", userId: owner, plan: "starter" });
    expect(await planOf(owner)).toBe("starter");
  });

  it("stores a redelivered event once", async () => {
    const e = event();
    const results = await Promise.all([record(e), record(e), record(e)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["duplicate", "duplicate", "recorded"]);
    expect(await t.db.asSystem((tx) => tx.paymentEvent.count())).toBe(1);
  });

  it("follows the latest state, not the latest arrival", async () => {
    await record(event({ eventName: "customer.subscription.deleted", occurredAt: at(20), planState: "expired" }));
    await record(event({ eventName: "customer.subscription.updated", occurredAt: at(10), planState: "growth" }));
    expect(await planOf(owner)).toBe("expired");
  });

  it("ends on the latest state when two changes race", async () => {
    const newer = event({ eventName: "customer.subscription.updated", occurredAt: at(20), planState: "pro" });
    const older = event({ eventName: "customer.subscription.updated", occurredAt: at(10), planState: "growth" });
    await Promise.all([record(older), record(newer)]);
    expect(await planOf(owner)).toBe("pro");
  });

  it("keeps an event for an unknown user without changing anyone's plan", async () => {
    const result = await record(event({ userId: randomUUID(), customerId: "cus_unknown" }));
    expect(result).toEqual({ outcome: "recorded", userId: null, plan: null });
    expect([await planOf(owner), await planOf(stranger)]).toEqual(["trial", "trial"]);
    expect(await t.db.asSystem((tx) => tx.paymentEvent.count({ where: { userId: null } }))).toBe(1);
  });

  it("matches events that carry only the customer, even ones that arrived before the checkout", async () => {
    const early = event({ userId: null, eventName: "customer.subscription.updated", occurredAt: at(5), planState: "growth" });
    expect((await record(early)).userId).toBeNull();
    await record(event({ occurredAt: at(1), planState: "starter" }));
    expect(await planOf(owner)).toBe("growth");
    const later = await record(event({ userId: null, eventName: "invoice.paid", occurredAt: at(6), planState: null }));
    expect(later.userId).toBe(owner);
    expect(await t.db.asSystem((tx) => tx.paymentEvent.count({ where: { userId: owner } }))).toBe(3);
  });

  it("records invoices without touching the plan", async () => {
    await record(event({ planState: "growth" }));
    await record(event({ eventName: "invoice.payment_failed", occurredAt: at(9), planState: null, amountCents: 7900 }));
    expect(await planOf(owner)).toBe("growth");
  });
});

describe("billingOverview", () => {
  it("shows the owner's plan, limits and own history, newest first", async () => {
    await record(event({ occurredAt: at(1), planState: "growth", amountCents: 7900 }));
    await record(event({ eventName: "invoice.paid", occurredAt: at(2), planState: null, amountCents: 7900 }));
    await record(event({ userId: stranger, customerId: "cus_stranger", occurredAt: at(3) }));
    const overview = await billingOverview(t.db, owner);
    expect(overview).toMatchObject({ plan: "growth", leadLimit: 500, voiceMinuteLimit: 30, leadsUsed: 0, voiceMinutesUsed: 0 });
    expect(overview.history.map((h) => [h.eventName, h.amountCents])).toEqual([
      ["invoice.paid", 7900],
      ["checkout.session.completed", 7900],
    ]);
  });
});

describe("consumeVoiceMinutes", () => {
  it("grants exactly what is left when many voice notes race for the last minute", async () => {
    await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan: "starter", voiceMinutesUsed: 9 } }));
    const grants = await Promise.all(
      Array.from({ length: 50 }, () => consumeVoiceMinutes(t.db, { userId: owner, minutes: 1, now: at(0) })),
    );
    expect(grants.filter(Boolean)).toHaveLength(1);
    const user = await t.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: owner } }));
    expect(user.voiceMinutesUsed.toNumber()).toBe(10);
  });

  it("grants nothing on an expired plan or after the trial", async () => {
    await t.db.asSystem((tx) => tx.user.update({ where: { id: owner }, data: { plan: "expired" } }));
    expect(await consumeVoiceMinutes(t.db, { userId: owner, minutes: 0.25, now: at(0) })).toBe(false);
    await t.db.asSystem((tx) => tx.user.update({ where: { id: stranger }, data: { trialExpiresAt: at(-1) } }));
    expect(await consumeVoiceMinutes(t.db, { userId: stranger, minutes: 0.25, now: at(0) })).toBe(false);
  });
});

describe("recordPaymentEvent when the database refuses the event", () => {
  const failedRows = () => t.db.asSystem((tx) => tx.webhookEvent.findMany({ where: { provider: "stripe", status: "failed" } }));

  it("keeps an event the database cannot store as failed, once, with the SQLSTATE and no value, instead of throwing", async () => {
    // An event that skipped checkPaymentEvent: Postgres text refuses NUL (SQLSTATE 22021).
    const poisoned = event({ eventName: "checkout.session.completed\u0000", currency: "u\u0000d" });
    const payload = { id: poisoned.eventId, customer_details: { email: "buyer@example.com" }, note: "a\u0000b" };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await recordPaymentEvent(t.db, { event: poisoned, payload, receivedAt: at(30) });
      expect(result).toEqual({ outcome: "refused", sqlState: "22021", userId: null, plan: null });
    }
    const failed = await failedRows();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBe("database refused the payment event (SQLSTATE 22021)");
    expect(JSON.stringify(failed[0]?.payload)).toContain("ab");
    expect(await t.db.asSystem((tx) => tx.paymentEvent.count())).toBe(0);
    expect(await planOf(owner)).toBe("trial");
  });

  it("stores the payload made storable: NUL and lone surrogates repaired, deep nesting cut", async () => {
    let deep: unknown = "bottom";
    for (let level = 0; level < 100; level += 1) deep = [deep];
    const e = event();
    await recordPaymentEvent(t.db, { event: e, payload: { id: e.eventId, note: "a\u0000b\ud800", deep }, receivedAt: at(30) });
    const stored = await t.db.asSystem((tx) => tx.paymentEvent.findFirstOrThrow({ where: { eventId: e.eventId } }));
    expect(JSON.stringify(stored.payload)).toContain('"note":"ab\ufffd"');
    expect(JSON.stringify(stored.payload)).toContain("[nested too deep]");
    expect(await planOf(owner)).toBe("starter");
  });

  it("throws while the database is unreachable, so the webhook answers 5xx and the provider retries", async () => {
    const down = createDb({ url: "postgresql://audnix_app@127.0.0.1:1/none", maxConnections: 1 });
    try {
      await expect(recordPaymentEvent(down, { event: event(), payload: {}, receivedAt: at(30) })).rejects.toThrow();
    } finally {
      await down.close();
    }
  });
});
