import { describe, expect, it } from "vitest";
import { checkPaymentEvent, MAX_AMOUNT_CENTS } from "../../src/billing/check-payment-event.ts";
import type { PaymentEvent } from "../../src/billing/payment-event.ts";

const RECEIVED_AT = new Date("2026-12-01T12:00:00.000Z");

function event(overrides: Partial<PaymentEvent> = {}): PaymentEvent {
  return {
    provider: "stripe",
    eventId: "evt_1QxYz",
    eventName: "checkout.session.completed",
    occurredAt: new Date("2026-12-01T11:59:00.000Z"),
    userId: null,
    customerId: "cus_Q1",
    objectId: "cs_test_1",
    planState: "growth",
    amountCents: 9900,
    currency: "usd",
    ...overrides,
  };
}

describe("checkPaymentEvent", () => {
  it("passes an event a provider would send, unchanged", () => {
    const ok = event();
    expect(checkPaymentEvent(ok, RECEIVED_AT)).toEqual({ ok: true, event: ok });
    expect(checkPaymentEvent(event({ amountCents: null, currency: null, customerId: null }), RECEIVED_AT).ok).toBe(true);
    expect(checkPaymentEvent(event({ amountCents: MAX_AMOUNT_CENTS }), RECEIVED_AT).ok).toBe(true);
  });

  it.each([
    ["a time past what Date holds (created 1e20)", { occurredAt: new Date(1e23) }, "occurredAt"],
    ["a time in year 9999", { occurredAt: new Date("9999-12-31T00:00:00Z") }, "occurredAt"],
    ["a time before 2000", { occurredAt: new Date("1999-12-31T23:59:59Z") }, "occurredAt"],
    ["an amount of 1e300", { amountCents: 1e300 }, "amountCents"],
    ["an amount over int4", { amountCents: MAX_AMOUNT_CENTS + 1 }, "amountCents"],
    ["a fractional amount", { amountCents: 99.5 }, "amountCents"],
    ["a negative amount", { amountCents: -1 }, "amountCents"],
    ["an event id with NUL", { eventId: "evt_\u0000" }, "eventId"],
    ["an event id of 100,000 characters", { eventId: "e".repeat(100_000) }, "eventId"],
    ["an object id with a lone surrogate", { objectId: "cs_\ud800" }, "objectId"],
    ["a customer id with control characters", { customerId: "cus\u0001" }, "customerId"],
    ["a currency that is no code", { currency: "u\u0000d" }, "currency"],
  ] as const)("refuses %s, naming the field and not the value", (_label, overrides, field) => {
    const check = checkPaymentEvent(event(overrides), RECEIVED_AT);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.reason.startsWith(`${field}:`)).toBe(true);
    expect(check.reason).not.toMatch(/\u0000|\ud800|1e\+?300|9999/);
  });
});
