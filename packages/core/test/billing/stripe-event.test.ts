import { describe, expect, it } from "vitest";
import { MalformedPaymentEventError } from "../../src/billing/malformed-payment-event.ts";
import { paymentEventFromStripe, type StripeEventLike } from "../../src/billing/stripe-event.ts";

const USER = "0b8f6a52-4f1e-4c8e-9a43-2f0d5b1c7e11";
const CREATED = 1_767_607_200; // 2026-01-05T10:00:00Z

function event(type: string, object: Record<string, unknown>): StripeEventLike {
  return { id: "evt_1QxYz", type, created: CREATED, data: { object } };
}

function session(overrides: Record<string, unknown> = {}) {
  return event("checkout.session.completed", {
    id: "cs_test_a1",
    object: "checkout.session",
    client_reference_id: `${USER}_growth`,
    customer: "cus_Q1",
    amount_total: 9900,
    currency: "USD",
    payment_status: "paid",
    ...overrides,
  });
}

function subscription(type: string, status: string, price: Record<string, unknown> = { lookup_key: "pro", metadata: {} }) {
  return event(type, { id: "sub_9", object: "subscription", customer: "cus_Q1", status, items: { object: "list", data: [{ id: "si_1", price }] } });
}

function invoice(type: string) {
  return event(type, { id: "in_7", object: "invoice", customer: "cus_Q1", amount_paid: 9900, amount_due: 12900, currency: "eur" });
}

describe("paymentEventFromStripe", () => {
  it("maps a paid checkout to the user and plan of its client reference, with customer, amount and time", () => {
    expect(paymentEventFromStripe(session())).toEqual({
      provider: "stripe",
      eventId: "evt_1QxYz",
      eventName: "checkout.session.completed",
      occurredAt: new Date("2026-01-05T10:00:00.000Z"),
      userId: USER,
      customerId: "cus_Q1",
      objectId: "cs_test_a1",
      planState: "growth",
      amountCents: 9900,
      currency: "usd",
    });
  });

  it("grants the plan for a checkout that needed no payment, but not for an unpaid one", () => {
    expect(paymentEventFromStripe(session({ payment_status: "no_payment_required" })).planState).toBe("growth");
    expect(paymentEventFromStripe(session({ payment_status: "unpaid" }))).toMatchObject({ planState: null, userId: USER });
  });

  it("reads a bare user id as a user without a plan, and ignores references that are not ours", () => {
    expect(paymentEventFromStripe(session({ client_reference_id: USER }))).toMatchObject({ userId: USER, planState: null });
    expect(paymentEventFromStripe(session({ client_reference_id: `${USER}_enterprise` }))).toMatchObject({ userId: USER, planState: null });
    expect(paymentEventFromStripe(session({ client_reference_id: "someone_pro" }))).toMatchObject({ userId: null, planState: "pro" });
    expect(paymentEventFromStripe(session({ client_reference_id: null, customer: null }))).toMatchObject({ userId: null, customerId: null, planState: null });
  });

  it.each(["customer.subscription.created", "customer.subscription.updated"])("%s: active or trialing takes the plan from the price", (type) => {
    expect(paymentEventFromStripe(subscription(type, "active"))).toEqual({
      provider: "stripe",
      eventId: "evt_1QxYz",
      eventName: type,
      occurredAt: new Date("2026-01-05T10:00:00.000Z"),
      userId: null,
      customerId: "cus_Q1",
      objectId: "sub_9",
      planState: "pro",
      amountCents: null,
      currency: null,
    });
    expect(paymentEventFromStripe(subscription(type, "trialing", { lookup_key: null, metadata: { plan: "starter" } })).planState).toBe("starter");
  });

  it("prefers the price's lookup_key, and names no plan for a price that is not one of ours", () => {
    expect(paymentEventFromStripe(subscription("customer.subscription.updated", "active", { lookup_key: "growth", metadata: { plan: "pro" } })).planState).toBe("growth");
    expect(paymentEventFromStripe(subscription("customer.subscription.updated", "active", { lookup_key: "gold", metadata: {} })).planState).toBeNull();
    const noItems = event("customer.subscription.updated", { id: "sub_9", customer: "cus_Q1", status: "active", items: { data: [] } });
    expect(paymentEventFromStripe(noItems).planState).toBeNull();
  });

  it.each(["canceled", "unpaid", "incomplete_expired"])("a subscription that is %s expires the plan", (status) => {
    expect(paymentEventFromStripe(subscription("customer.subscription.updated", status)).planState).toBe("expired");
  });

  it.each(["past_due", "incomplete", "paused"])("a subscription that is %s leaves the plan as it is", (status) => {
    expect(paymentEventFromStripe(subscription("customer.subscription.updated", status)).planState).toBeNull();
  });

  it("customer.subscription.deleted expires the plan whatever the status says", () => {
    expect(paymentEventFromStripe(subscription("customer.subscription.deleted", "active"))).toMatchObject({ planState: "expired", objectId: "sub_9" });
  });

  it("invoices are history: paid amount for invoice.paid, amount due for invoice.payment_failed", () => {
    expect(paymentEventFromStripe(invoice("invoice.paid"))).toMatchObject({
      eventName: "invoice.paid",
      objectId: "in_7",
      customerId: "cus_Q1",
      planState: null,
      amountCents: 9900,
      currency: "eur",
    });
    expect(paymentEventFromStripe(invoice("invoice.payment_failed"))).toMatchObject({ planState: null, amountCents: 12900 });
  });

  it("keeps other event types with no plan", () => {
    expect(paymentEventFromStripe(event("charge.refunded", { id: "ch_1", customer: "cus_Q1" }))).toMatchObject({
      eventName: "charge.refunded",
      objectId: "ch_1",
      planState: null,
      customerId: null,
    });
    expect(paymentEventFromStripe(event("balance.available", { object: "balance" })).objectId).toBe("evt_1QxYz");
  });

  it("throws MalformedPaymentEventError on an event or handled object of the wrong shape", () => {
    const broken: unknown[] = [
      null,
      { id: "evt_1", type: "invoice.paid", created: "yesterday", data: { object: {} } },
      { id: "evt_1", type: "invoice.paid", created: CREATED },
      session({ id: undefined }),
      session({ payment_status: undefined }),
      subscription("customer.subscription.updated", "active", { lookup_key: 7 }),
      event("customer.subscription.created", { id: "sub_9", customer: "cus_Q1", status: "active" }),
      event("invoice.paid", { id: "in_7", customer: "cus_Q1", currency: "usd" }),
    ];
    for (const payload of broken) {
      expect(() => paymentEventFromStripe(payload as StripeEventLike), JSON.stringify(payload)).toThrow(MalformedPaymentEventError);
    }
  });
});
