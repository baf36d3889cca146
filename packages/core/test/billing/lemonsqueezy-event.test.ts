import { describe, expect, it } from "vitest";
import { MalformedPaymentEventError } from "../../src/billing/malformed-payment-event.ts";
import { parseLemonSqueezyEvent } from "../../src/billing/lemonsqueezy-event.ts";

const USER = "0b8f6a52-4f1e-4c8e-9a43-2f0d5b1c7e11";
const UPDATED = "2026-01-05T10:00:00.000000Z";

interface BodyOptions {
  type?: "orders" | "subscriptions" | "subscription-invoices";
  id?: string;
  status?: string;
  custom?: Record<string, unknown> | null;
  attributes?: Record<string, unknown>;
}

function body(eventName: string, options: BodyOptions = {}) {
  return {
    meta: { event_name: eventName, test_mode: true, custom_data: options.custom === null ? undefined : (options.custom ?? { user_id: USER, plan: "growth" }) },
    data: {
      type: options.type ?? "subscriptions",
      id: options.id ?? "4021",
      attributes: {
        store_id: 1,
        customer_id: 771,
        status: options.status ?? "active",
        created_at: "2026-01-01T09:00:00.000000Z",
        updated_at: UPDATED,
        ends_at: null,
        ...options.attributes,
      },
    },
  };
}

const order = (eventName: string, status: string, extra: BodyOptions = {}) =>
  body(eventName, { type: "orders", id: "9001", status, attributes: { total: 9900, currency: "USD" }, ...extra });
const invoice = (eventName: string, status: string) =>
  body(eventName, { type: "subscription-invoices", id: "5550", status, attributes: { total: 9900, currency: "EUR", subscription_id: 4021 } });

const parse = (payload: unknown, header: string | null = null) => parseLemonSqueezyEvent(payload, header);

describe("parseLemonSqueezyEvent", () => {
  it("maps a paid order_created to the plan named in custom data, with ids, amount and time", () => {
    expect(parse(order("order_created", "paid"), "order_created")).toEqual({
      provider: "lemonsqueezy",
      eventId: `order_created:9001:${UPDATED}`,
      eventName: "order_created",
      occurredAt: new Date("2026-01-05T10:00:00.000Z"),
      userId: USER,
      customerId: "771",
      objectId: "9001",
      planState: "growth",
      amountCents: 9900,
      currency: "usd",
    });
  });

  it("gives an unpaid or refunded order no plan, keeping it for history", () => {
    expect(parse(order("order_created", "pending")).planState).toBeNull();
    const refunded = parse(order("order_refunded", "refunded"));
    expect(refunded).toMatchObject({ planState: null, eventId: `order_refunded:9001:${UPDATED}`, amountCents: 9900, currency: "usd" });
  });

  it.each(["subscription_created", "subscription_updated", "subscription_resumed", "subscription_unpaused"])(
    "%s with an active or trialing subscription grants the plan",
    (eventName) => {
      expect(parse(body(eventName, { status: "active" })).planState).toBe("growth");
      expect(parse(body(eventName, { status: "on_trial", custom: { user_id: USER, plan: "pro" } })).planState).toBe("pro");
    },
  );

  it("subscription events carry no amount, and the subscription id is the object", () => {
    expect(parse(body("subscription_created"))).toMatchObject({
      eventId: `subscription_created:4021:${UPDATED}`,
      objectId: "4021",
      customerId: "771",
      amountCents: null,
      currency: null,
    });
  });

  it.each(["unpaid", "expired", "paused"])("subscription_updated with status %s expires the plan", (status) => {
    expect(parse(body("subscription_updated", { status })).planState).toBe("expired");
  });

  it("subscription_updated while past due or cancelled does not change the plan", () => {
    expect(parse(body("subscription_updated", { status: "past_due" })).planState).toBeNull();
    expect(parse(body("subscription_updated", { status: "cancelled", attributes: { ends_at: "2026-02-01T00:00:00.000000Z" } })).planState).toBeNull();
  });

  it("subscription_expired and subscription_paused expire the plan", () => {
    expect(parse(body("subscription_expired", { status: "expired" })).planState).toBe("expired");
    expect(parse(body("subscription_paused", { status: "paused" })).planState).toBe("expired");
  });

  it("subscription_cancelled keeps the paid period until ends_at, and expires at once when it is over", () => {
    const later = body("subscription_cancelled", { status: "cancelled", attributes: { ends_at: "2026-02-05T10:00:00.000000Z" } });
    expect(parse(later).planState).toBeNull();
    const now = body("subscription_cancelled", { status: "cancelled", attributes: { ends_at: UPDATED } });
    expect(parse(now).planState).toBe("expired");
    const past = body("subscription_cancelled", { status: "cancelled", attributes: { ends_at: "2026-01-04T00:00:00.000000Z" } });
    expect(parse(past).planState).toBe("expired");
    expect(parse(body("subscription_cancelled", { status: "cancelled" })).planState).toBe("expired");
  });

  it("a paid subscription invoice (payment success or recovery) confirms the plan and carries the amount", () => {
    expect(parse(invoice("subscription_payment_success", "paid"))).toMatchObject({
      eventId: `subscription_payment_success:5550:${UPDATED}`,
      objectId: "5550",
      planState: "growth",
      amountCents: 9900,
      currency: "eur",
    });
    expect(parse(invoice("subscription_payment_recovered", "paid")).planState).toBe("growth");
  });

  it("a failed payment is history only", () => {
    expect(parse(invoice("subscription_payment_failed", "pending"))).toMatchObject({ planState: null, amountCents: 9900 });
  });

  it("an unknown event is kept with no plan", () => {
    expect(parse(body("license_key_created", { status: "active" }))).toMatchObject({ eventName: "license_key_created", planState: null });
  });

  it("names no plan when custom data lacks a known paid plan, and no user when the id is not a uuid", () => {
    expect(parse(order("order_created", "paid", { custom: { user_id: USER, plan: "trial" } })).planState).toBeNull();
    expect(parse(order("order_created", "paid", { custom: { user_id: USER, plan: "enterprise" } })).planState).toBeNull();
    const noCustom = parse(order("order_created", "paid", { custom: null }));
    expect(noCustom).toMatchObject({ userId: null, planState: null, customerId: "771" });
    expect(parse(order("order_created", "paid", { custom: { user_id: "42", plan: "pro" } }))).toMatchObject({ userId: null, planState: "pro" });
    expect(parse(order("order_created", "paid", { custom: { user_id: USER.toUpperCase(), plan: "pro" } })).userId).toBe(USER);
  });

  it("throws MalformedPaymentEventError on a body that is not a Lemon Squeezy webhook", () => {
    const broken = [
      null,
      "order_created",
      {},
      { meta: {}, data: order("order_created", "paid").data },
      { ...order("order_created", "paid"), data: { ...order("order_created", "paid").data, type: "customers" } },
      body("order_created", { attributes: { customer_id: "771" } }),
      body("order_created", { attributes: { updated_at: "yesterday" } }),
    ];
    for (const payload of broken) expect(() => parse(payload), JSON.stringify(payload)).toThrow(MalformedPaymentEventError);
  });

  it("throws when the X-Event-Name header disagrees with the signed body", () => {
    expect(() => parse(order("order_created", "paid"), "order_refunded")).toThrow(MalformedPaymentEventError);
  });
});
