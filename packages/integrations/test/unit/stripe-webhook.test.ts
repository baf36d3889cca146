import { describe, expect, it } from "vitest";
import { signedStripeRequest, signStripeBody, stripeFake } from "../../src/stripe/fake-webhooks.ts";
import { verifyStripeWebhook } from "../../src/stripe/verify-webhook.ts";

const SECRET = "whsec_test_audnix";
const USER = "0b8f6a52-4f1e-4c8e-9a43-2f0d5b1c7e11";
const START = new Date("2026-01-05T10:00:00.000Z");
// Deliveries are signed when sent; the receive clock is injected so staleness is deterministic.
const SENT = new Date("2026-01-05T10:00:30.000Z");
const RECEIVED = new Date("2026-01-05T10:01:00.000Z");

function checkout() {
  const stripe = stripeFake({ seed: "verify", startAt: START });
  return stripe.checkoutSessionCompleted({ userId: USER, plan: "growth", customerId: stripe.customerId(), amountCents: 9900 });
}

describe("verifyStripeWebhook", () => {
  it("accepts a body signed with the endpoint secret and returns its PaymentEvent", () => {
    const event = checkout();
    const request = signedStripeRequest(event, SECRET, SENT);
    const result = verifyStripeWebhook(request.body, request.headers["stripe-signature"], SECRET, RECEIVED);
    expect(result).toEqual({
      ok: true,
      event: {
        provider: "stripe",
        eventId: event.id,
        eventName: "checkout.session.completed",
        occurredAt: new Date(event.created * 1000),
        userId: USER,
        customerId: event.data.object.customer,
        objectId: event.data.object.id,
        planState: "growth",
        amountCents: 9900,
        currency: "usd",
      },
    });
  });

  it("accepts the raw bytes as well as the string", () => {
    const request = signedStripeRequest(checkout(), SECRET, SENT);
    const result = verifyStripeWebhook(new TextEncoder().encode(request.body), request.headers["stripe-signature"], SECRET, RECEIVED);
    expect(result.ok).toBe(true);
  });

  it("rejects a body signed with another secret", () => {
    const request = signedStripeRequest(checkout(), "whsec_someone_else", SENT);
    expect(verifyStripeWebhook(request.body, request.headers["stripe-signature"], SECRET, RECEIVED)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a tampered body", () => {
    const request = signedStripeRequest(checkout(), SECRET, SENT);
    const tampered = request.body.replace("_growth", "_pro");
    expect(tampered).not.toBe(request.body);
    expect(verifyStripeWebhook(tampered, request.headers["stripe-signature"], SECRET, RECEIVED)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects everything when the secret is empty", () => {
    const request = signedStripeRequest(checkout(), "", SENT);
    expect(verifyStripeWebhook(request.body, request.headers["stripe-signature"], "", RECEIVED)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a correctly signed delivery older than 300 s as stale, and accepts one exactly 300 s old", () => {
    const request = signedStripeRequest(checkout(), SECRET, SENT);
    const header = request.headers["stripe-signature"];
    expect(verifyStripeWebhook(request.body, header, SECRET, new Date(SENT.getTime() + 300_000)).ok).toBe(true);
    expect(verifyStripeWebhook(request.body, header, SECRET, new Date(SENT.getTime() + 301_000))).toEqual({ ok: false, reason: "stale" });
  });

  it("calls an old delivery with a wrong signature a bad signature, not stale", () => {
    const request = signedStripeRequest(checkout(), "whsec_someone_else", SENT);
    const late = new Date(SENT.getTime() + 3_600_000);
    expect(verifyStripeWebhook(request.body, request.headers["stripe-signature"], SECRET, late)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("uses the real clock when none is given", () => {
    const fresh = signedStripeRequest(checkout(), SECRET);
    expect(verifyStripeWebhook(fresh.body, fresh.headers["stripe-signature"], SECRET).ok).toBe(true);
    const old = signedStripeRequest(checkout(), SECRET, new Date(Date.now() - 600_000));
    expect(verifyStripeWebhook(old.body, old.headers["stripe-signature"], SECRET)).toEqual({ ok: false, reason: "stale" });
  });

  it("reports a missing header, and a header without a v1 signature as bad", () => {
    const request = signedStripeRequest(checkout(), SECRET, SENT);
    expect(verifyStripeWebhook(request.body, null, SECRET, RECEIVED)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyStripeWebhook(request.body, undefined, SECRET, RECEIVED)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyStripeWebhook(request.body, "", SECRET, RECEIVED)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyStripeWebhook(request.body, "t=1767607230", SECRET, RECEIVED)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("reports a correctly signed body that is not a Stripe event as malformed", () => {
    for (const body of ["not json", JSON.stringify({ id: "evt_1", type: "invoice.paid" })]) {
      expect(verifyStripeWebhook(body, signStripeBody(body, SECRET, SENT), SECRET, RECEIVED)).toEqual({ ok: false, reason: "malformed" });
    }
  });
});

describe("Stripe fake webhooks", () => {
  it("round-trip every handled event type into the expected PaymentEvent", () => {
    const stripe = stripeFake({ seed: "round-trip", startAt: START });
    const customerId = stripe.customerId();
    const subscriptionId = stripe.subscriptionId();
    const events = [
      stripe.checkoutSessionCompleted({ userId: USER, plan: "starter", customerId, subscriptionId }),
      stripe.checkoutSessionCompleted({ userId: USER, customerId, paymentStatus: "unpaid" }),
      stripe.subscription("created", { customerId, subscriptionId, plan: "starter", status: "active" }),
      stripe.subscription("updated", { customerId, subscriptionId, plan: "pro", status: "trialing" }),
      stripe.subscription("updated", { customerId, subscriptionId, plan: "pro", status: "past_due" }),
      stripe.subscription("updated", { customerId, subscriptionId, plan: "pro", status: "unpaid" }),
      stripe.subscription("deleted", { customerId, subscriptionId, plan: "pro", status: "active" }),
      stripe.invoice("paid", { customerId, subscriptionId, amountCents: 19900 }),
      stripe.invoice("payment_failed", { customerId, subscriptionId, amountCents: 19900, currency: "EUR" }),
    ];
    const parsed = events.map((event) => {
      const request = signedStripeRequest(event, SECRET, RECEIVED);
      const result = verifyStripeWebhook(request.body, request.headers["stripe-signature"], SECRET, RECEIVED);
      if (!result.ok) throw new Error(`${event.type}: ${result.reason}`);
      return result.event;
    });

    expect(parsed.map(({ eventName, userId, customerId: customer, planState, amountCents, currency }) => [eventName, userId, customer, planState, amountCents, currency])).toEqual([
      ["checkout.session.completed", USER, customerId, "starter", 4900, "usd"],
      ["checkout.session.completed", USER, customerId, null, 4900, "usd"],
      ["customer.subscription.created", null, customerId, "starter", null, null],
      ["customer.subscription.updated", null, customerId, "pro", null, null],
      ["customer.subscription.updated", null, customerId, null, null, null],
      ["customer.subscription.updated", null, customerId, "expired", null, null],
      ["customer.subscription.deleted", null, customerId, "expired", null, null],
      ["invoice.paid", null, customerId, null, 19900, "usd"],
      ["invoice.payment_failed", null, customerId, null, 19900, "eur"],
    ]);
    // Stripe-shaped, distinct ids, and one second between events so the latest state is well defined.
    expect(new Set(parsed.map((event) => event.eventId)).size).toBe(events.length);
    expect(parsed.every((event) => event.eventId.startsWith("evt_"))).toBe(true);
    expect(parsed.map((event) => event.objectId.split("_")[0])).toEqual(["cs", "cs", "sub", "sub", "sub", "sub", "sub", "in", "in"]);
    expect(parsed[2]?.objectId).toBe(subscriptionId);
    expect(parsed.map((event) => event.occurredAt.getTime() - START.getTime())).toEqual(parsed.map((_, i) => i * 1000));
  });

  it("gives the same ids for the same seed and different ids for another", () => {
    const ids = (seed: string) => {
      const stripe = stripeFake({ seed, startAt: START });
      return stripe.invoice("paid", { customerId: stripe.customerId(), subscriptionId: stripe.subscriptionId(), amountCents: 100 }).id;
    };
    expect(ids("a")).toBe(ids("a"));
    expect(ids("a")).not.toBe(ids("b"));
  });
});
