import { parseLemonSqueezyEvent, verifyLemonSqueezySignature } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { lemonSqueezyFake, signedLemonSqueezyRequest, type LemonSqueezyWebhookBody } from "../../src/lemonsqueezy/fake-webhooks.ts";

const SECRET = "lemon-signing-secret";
const USER = "0b8f6a52-4f1e-4c8e-9a43-2f0d5b1c7e11";
const START = new Date("2026-01-05T10:00:00.000Z");

function receive(payload: LemonSqueezyWebhookBody) {
  const request = signedLemonSqueezyRequest(payload, SECRET);
  expect(verifyLemonSqueezySignature(new TextEncoder().encode(request.body), request.headers["x-signature"], SECRET)).toBe(true);
  return parseLemonSqueezyEvent(JSON.parse(request.body), request.headers["x-event-name"]);
}

describe("Lemon Squeezy fake webhooks", () => {
  it("round-trip orders, subscriptions and subscription invoices into the expected PaymentEvents", () => {
    const lemon = lemonSqueezyFake({ seed: "round-trip", startAt: START });
    const custom = { userId: USER, plan: "growth" } as const;
    const customerId = lemon.customerId();
    const subscriptionId = lemon.subscriptionId();
    const sub = { custom, customerId, subscriptionId };
    const bodies = [
      lemon.order("order_created", { custom, customerId }),
      lemon.subscription("subscription_created", { ...sub, status: "active" }),
      lemon.subscriptionInvoice("subscription_payment_success", sub),
      lemon.subscriptionInvoice("subscription_payment_failed", { ...sub, currency: "EUR", totalCents: 1234 }),
      lemon.subscription("subscription_updated", { ...sub, status: "past_due" }),
      lemon.subscription("subscription_cancelled", { ...sub, status: "cancelled", endsAt: new Date("2026-02-05T10:00:00.000Z") }),
      lemon.subscription("subscription_cancelled", { ...sub, status: "cancelled", endsAt: null }),
      lemon.subscription("subscription_resumed", { ...sub, status: "active" }),
      lemon.subscription("subscription_paused", { ...sub, status: "paused" }),
      lemon.subscription("subscription_unpaused", { ...sub, status: "active" }),
      lemon.subscription("subscription_expired", { ...sub, status: "expired" }),
      lemon.order("order_refunded", { custom, customerId }),
    ];
    const parsed = bodies.map(receive);

    expect(parsed.map(({ eventName, planState, amountCents, currency }) => [eventName, planState, amountCents, currency])).toEqual([
      ["order_created", "growth", 9900, "usd"],
      ["subscription_created", "growth", null, null],
      ["subscription_payment_success", "growth", 9900, "usd"],
      ["subscription_payment_failed", null, 1234, "eur"],
      ["subscription_updated", null, null, null],
      ["subscription_cancelled", null, null, null],
      ["subscription_cancelled", "expired", null, null],
      ["subscription_resumed", "growth", null, null],
      ["subscription_paused", "expired", null, null],
      ["subscription_unpaused", "growth", null, null],
      ["subscription_expired", "expired", null, null],
      ["order_refunded", null, 9900, "usd"],
    ]);
    for (const [index, event] of parsed.entries()) {
      const body = bodies[index];
      expect(event).toMatchObject({ provider: "lemonsqueezy", userId: USER, customerId: String(customerId) });
      expect(event.eventId).toBe(`${body?.meta.event_name}:${body?.data.id}:${String(body?.data.attributes.updated_at)}`);
    }
    expect(parsed[1]?.objectId).toBe(subscriptionId);
    expect(parsed[0]?.objectId).toMatch(/^\d+$/);
    // One second apart, in order: the billing transaction lets the latest state win.
    expect(parsed.map((event) => event.occurredAt.getTime() - START.getTime())).toEqual(parsed.map((_, i) => i * 1000));
  });

  it("rejects a fake body whose signature was made with another secret", () => {
    const lemon = lemonSqueezyFake({ startAt: START });
    const request = signedLemonSqueezyRequest(lemon.order("order_created", { custom: { userId: USER, plan: "pro" }, customerId: 1 }), "other");
    expect(verifyLemonSqueezySignature(new TextEncoder().encode(request.body), request.headers["x-signature"], SECRET)).toBe(false);
  });
});
