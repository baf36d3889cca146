import type { PaymentEvent } from "@audnix/core";
import { recordPaymentEvent } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

const STARTER_LINK = "https://buy.stripe.com/test_starter";
const PRO_LINK = "https://audnix.lemonsqueezy.com/buy/pro-variant";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db, "trial"));
});

const callerFor = (userId: string | null) =>
  createCaller(createTrpcContext({ db: t.db, userId, paymentLinks: { starter: STARTER_LINK, pro: PRO_LINK } }));

function purchase(userId: string, eventId: string, plan: "starter" | "pro", occurredAt: Date, amountCents: number): PaymentEvent {
  return {
    provider: "stripe",
    eventId,
    eventName: "checkout.session.completed",
    occurredAt,
    userId,
    customerId: `cus_${eventId}`,
    objectId: `cs_${eventId}`,
    planState: plan,
    amountCents,
    currency: "usd",
  };
}

async function record(event: PaymentEvent) {
  await recordPaymentEvent(t.db, { event, payload: { id: event.eventId }, receivedAt: new Date() });
}

describe("billing.overview", () => {
  it("shows a new owner their trial, usage, an empty history and every paid plan with its monthly price", async () => {
    const overview = await callerFor(owner).billing.overview();
    expect(overview).toMatchObject({ plan: "trial", leadsUsed: 0, leadLimit: 100, voiceMinutesUsed: 0, voiceMinuteLimit: 10, history: [] });
    expect(overview.upgrades.map((option) => [option.plan, option.leadLimit, option.voiceMinuteLimit, option.price])).toEqual([
      ["starter", 100, 10, { amountMinor: 4900, currency: "usd" }],
      ["growth", 500, 30, { amountMinor: 9900, currency: "usd" }],
      ["pro", 2000, 150, { amountMinor: 19900, currency: "usd" }],
    ]);
  });

  it("carries the owner in each configured checkout link and names the variable of a missing one", async () => {
    const { upgrades } = await callerFor(owner).billing.overview();
    const [starter, growth, pro] = upgrades;
    expect(new URL(starter?.checkoutUrl ?? "").searchParams.get("client_reference_id")).toBe(`${owner}_starter`);
    expect(starter?.missingEnv).toBeNull();
    expect(growth).toMatchObject({ checkoutUrl: null, missingEnv: "GROWTH_PAYMENT_LINK" });
    expect(new URL(pro?.checkoutUrl ?? "").searchParams.get("checkout[custom][user_id]")).toBe(owner);
  });

  it("shows the owner only their own payments, newest first, and the plan they bought", async () => {
    await record(purchase(owner, "evt_owner_1", "starter", new Date("2026-03-01T10:00:00Z"), 4900));
    await record(purchase(owner, "evt_owner_2", "pro", new Date("2026-04-01T10:00:00Z"), 19900));
    await record(purchase(stranger, "evt_stranger_1", "pro", new Date("2026-04-02T10:00:00Z"), 19900));

    const overview = await callerFor(owner).billing.overview();
    expect(overview.plan).toBe("pro");
    expect(overview.leadLimit).toBe(2000);
    expect(overview.history.map((item) => [item.eventName, item.amountCents, item.currency, item.occurredAt.toISOString()])).toEqual([
      ["checkout.session.completed", 19900, "usd", "2026-04-01T10:00:00.000Z"],
      ["checkout.session.completed", 4900, "usd", "2026-03-01T10:00:00.000Z"],
    ]);
    expect((await callerFor(stranger).billing.overview()).history).toHaveLength(1);
  });

  it("requires a signed-in user", async () => {
    await expect(callerFor(null).billing.overview()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
