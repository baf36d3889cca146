import { randomBytes, randomUUID } from "node:crypto";
import { createLogger } from "@audnix/core";
import { createDb, recordPaymentEvent, recordRefusedPaymentEvent } from "@audnix/db";
import { createOwnerAndStranger, createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import {
  lemonSqueezyFake,
  signedLemonSqueezyRequest,
  signedStripeRequest,
  signLemonSqueezyBody,
  signStripeBody,
  stripeFake,
  verifyStripeWebhook,
  type StripeWebhookEvent,
} from "@audnix/integrations";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { handlePaymentWebhook, type PaymentWebhookDeps } from "../../app/webhooks/payment-webhook.server.ts";

const STRIPE_SECRET = `whsec_${randomBytes(16).toString("hex")}`;
const LS_SECRET = `ls-secret-${randomBytes(16).toString("hex")}`;
const ONE_MB = 1024 * 1024;

let t: TestDatabase;
let owner: string;
let stranger: string;
const logLines: string[] = [];
const logger = createLogger({ level: "debug", sink: (line) => logLines.push(line) });

beforeAll(async () => {
  t = await createTestDatabase();
  ({ owner, stranger } = await createOwnerAndStranger(t.db, "trial"));
});

afterAll(async () => {
  await t?.destroy();
});

beforeEach(() => {
  logLines.length = 0;
});

function deps(overrides: Partial<PaymentWebhookDeps> = {}): PaymentWebhookDeps {
  return {
    stripeSecret: { envName: "STRIPE_WEBHOOK_SECRET", value: STRIPE_SECRET },
    lemonSqueezySecret: { envName: "LEMONSQUEEZY_WEBHOOK_SECRET", value: LS_SECRET },
    verifyStripe: verifyStripeWebhook,
    record: (input) => recordPaymentEvent(t.db, input),
    recordRefused: (input) => recordRefusedPaymentEvent(t.db, input),
    logger,
    now: () => new Date(),
    ...overrides,
  };
}

function post(body: BodyInit, headers: Record<string, string>): Request {
  return new Request("http://localhost/api/webhook/payment", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

function stripeRequest(event: StripeWebhookEvent, secret = STRIPE_SECRET, signedAt?: Date): Request {
  const { body, headers } = signedStripeRequest(event, secret, signedAt);
  return post(body, headers);
}

const planOf = async (userId: string) => (await t.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { id: userId } }))).plan;
const paymentEventCount = () => t.db.asSystem((tx) => tx.paymentEvent.count());

async function newUser(): Promise<string> {
  const user = await t.db.asSystem((tx) => tx.user.create({ data: { email: `${randomUUID()}@shop.example` } }));
  return user.id;
}

async function expectRejected(request: Request, status: number, reason: RegExp, options: PaymentWebhookDeps = deps()) {
  const before = await paymentEventCount();
  const response = await handlePaymentWebhook(request, options);
  expect(response.status).toBe(status);
  expect(await response.text()).toMatch(reason);
  expect(await paymentEventCount()).toBe(before);
  expect(logLines.join("\n")).toMatch(reason);
  for (const secret of [STRIPE_SECRET, LS_SECRET]) expect(logLines.join("\n")).not.toContain(secret);
}

describe("Stripe payment webhooks", () => {
  it("puts the owner on the plan a completed checkout names", async () => {
    const stripe = stripeFake({ seed: "checkout" });
    const response = await handlePaymentWebhook(
      stripeRequest(stripe.checkoutSessionCompleted({ userId: owner, plan: "growth", customerId: stripe.customerId() })),
      deps(),
    );
    expect(response.status).toBe(200);
    expect(await planOf(owner)).toBe("growth");
    expect(await planOf(stranger)).toBe("trial");
  });

  it("refuses a body signed with another secret and writes nothing", async () => {
    const stripe = stripeFake({ seed: "forged" });
    const event = stripe.checkoutSessionCompleted({ userId: stranger, plan: "pro", customerId: stripe.customerId() });
    await expectRejected(stripeRequest(event, "whsec_not-ours"), 401, /bad signature/);
    expect(await planOf(stranger)).toBe("trial");
  });

  it("refuses a replay whose signature is older than five minutes", async () => {
    const stripe = stripeFake({ seed: "stale" });
    const event = stripe.checkoutSessionCompleted({ userId: stranger, plan: "pro", customerId: stripe.customerId() });
    await expectRejected(stripeRequest(event, STRIPE_SECRET, new Date(Date.now() - 10 * 60_000)), 401, /stale timestamp/);
    expect(await planOf(stranger)).toBe("trial");
  });

  it("refuses a request without any signature", async () => {
    const stripe = stripeFake({ seed: "unsigned" });
    const body = JSON.stringify(stripe.checkoutSessionCompleted({ userId: stranger, plan: "pro", customerId: stripe.customerId() }));
    await expectRejected(post(body, { "Content-Type": "application/json" }), 401, /missing signature/);
    await expectRejected(post(body, { "Content-Type": "application/json", "Stripe-Signature": "" }), 401, /missing signature/);
  });

  it("keeps a purchase by an unknown account without changing anyone's plan", async () => {
    const stripe = stripeFake({ seed: "unknown" });
    const before = await paymentEventCount();
    const ownerPlan = await planOf(owner);
    const response = await handlePaymentWebhook(
      stripeRequest(stripe.checkoutSessionCompleted({ userId: randomUUID(), plan: "pro", customerId: stripe.customerId() })),
      deps(),
    );
    expect(response.status).toBe(200);
    expect(await paymentEventCount()).toBe(before + 1);
    expect(await planOf(owner)).toBe(ownerPlan);
    expect(await planOf(stranger)).toBe("trial");
  });

  it("stores a redelivered event once", async () => {
    const user = await newUser();
    const stripe = stripeFake({ seed: "redelivery" });
    const event = stripe.checkoutSessionCompleted({ userId: user, plan: "starter", customerId: stripe.customerId() });
    const before = await paymentEventCount();
    expect((await handlePaymentWebhook(stripeRequest(event), deps())).status).toBe(200);
    expect((await handlePaymentWebhook(stripeRequest(event), deps())).status).toBe(200);
    expect(await paymentEventCount()).toBe(before + 1);
    expect(await planOf(user)).toBe("starter");
  });

  it("ends on the latest state when a cancellation arrives before an earlier update", async () => {
    const user = await newUser();
    const stripe = stripeFake({ seed: "out-of-order" });
    const customerId = stripe.customerId();
    const subscriptionId = stripe.subscriptionId();
    const checkout = stripe.checkoutSessionCompleted({ userId: user, plan: "starter", customerId, subscriptionId });
    const updated = stripe.subscription("updated", { customerId, subscriptionId, plan: "growth", status: "active" });
    const deleted = stripe.subscription("deleted", { customerId, subscriptionId, plan: "growth", status: "canceled" });
    expect(deleted.created).toBeGreaterThan(updated.created);

    for (const event of [checkout, deleted, updated]) {
      expect((await handlePaymentWebhook(stripeRequest(event), deps())).status).toBe(200);
    }
    expect(await planOf(user)).toBe("expired");
  });

  it("answers 400 to a correctly signed body that is not a Stripe event", async () => {
    const body = "{not json";
    await expectRejected(post(body, { "Stripe-Signature": signStripeBody(body, STRIPE_SECRET) }), 400, /not a Stripe event/);
  });

  it("answers 503 and names the variable when the endpoint secret is not configured", async () => {
    const stripe = stripeFake({ seed: "unconfigured" });
    const event = stripe.checkoutSessionCompleted({ userId: stranger, plan: "pro", customerId: stripe.customerId() });
    const options = deps({ stripeSecret: { envName: "STRIPE_WEBHOOK_SECRET", value: undefined } });
    await expectRejected(stripeRequest(event), 503, /Stripe webhooks are not configured \(set STRIPE_WEBHOOK_SECRET\)/, options);
  });

  it("answers 413 to a body over 1 MB", async () => {
    const big = `{"pad":"${"x".repeat(ONE_MB)}"}`;
    await expectRejected(post(big, { "Stripe-Signature": signStripeBody(big, STRIPE_SECRET) }), 413, /body larger than|too large/);
  });
});

describe("Lemon Squeezy payment webhooks", () => {
  function lemonRequest(payload: Parameters<typeof signedLemonSqueezyRequest>[0], secret = LS_SECRET): Request {
    const { body, headers } = signedLemonSqueezyRequest(payload, secret);
    return post(body, headers);
  }

  it("puts the buyer on the plan of their order, and expires it when the subscription ends", async () => {
    const user = await newUser();
    const lemon = lemonSqueezyFake({ seed: "order" });
    const custom = { userId: user, plan: "pro" } as const;
    const customerId = lemon.customerId();
    const ordered = await handlePaymentWebhook(lemonRequest(lemon.order("order_created", { custom, customerId })), deps());
    expect(ordered.status).toBe(200);
    expect(await planOf(user)).toBe("pro");

    const subscriptionId = lemon.subscriptionId();
    const expired = await handlePaymentWebhook(
      lemonRequest(lemon.subscription("subscription_expired", { custom, customerId, subscriptionId, status: "expired" })),
      deps(),
    );
    expect(expired.status).toBe(200);
    expect(await planOf(user)).toBe("expired");
  });

  it("refuses a forged signature", async () => {
    const lemon = lemonSqueezyFake({ seed: "forged" });
    const payload = lemon.order("order_created", { custom: { userId: stranger, plan: "pro" }, customerId: lemon.customerId() });
    await expectRejected(lemonRequest(payload, "not-our-secret"), 401, /bad signature/);
    expect(await planOf(stranger)).toBe("trial");
  });

  it("answers 400 to a signed body that is not JSON, or not a Lemon Squeezy event", async () => {
    const notJson = "order_created!";
    await expectRejected(post(notJson, { "X-Signature": signLemonSqueezyBody(notJson, LS_SECRET), "X-Event-Name": "order_created" }), 400, /not JSON/);
    const wrongShape = JSON.stringify({ meta: { event_name: "order_created" }, data: [] });
    await expectRejected(
      post(wrongShape, { "X-Signature": signLemonSqueezyBody(wrongShape, LS_SECRET), "X-Event-Name": "order_created" }),
      400,
      /unexpected payload shape/,
    );
  });

  it("answers 503 and names the variable when the signing secret is not configured", async () => {
    const lemon = lemonSqueezyFake({ seed: "unconfigured" });
    const payload = lemon.order("order_created", { custom: { userId: stranger, plan: "pro" }, customerId: lemon.customerId() });
    const options = deps({ lemonSqueezySecret: { envName: "LEMONSQUEEZY_WEBHOOK_SECRET", value: undefined } });
    await expectRejected(lemonRequest(payload), 503, /Lemon Squeezy webhooks are not configured \(set LEMONSQUEEZY_WEBHOOK_SECRET\)/, options);
  });
});

describe("poison in a signed payment event", () => {
  const DEPTH = 200_000;
  const NESTED = "__nested__";
  // JSON.stringify cannot write 200,000 levels; the nesting is spliced into the text instead.
  const nested = (text: string) => text.replace(`"${NESTED}"`, `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`);
  const failedRows = () => t.db.asSystem((tx) => tx.webhookEvent.findMany({ where: { provider: { in: ["stripe", "lemonsqueezy"] }, status: "failed" } }));
  const storedPayload = async (eventId: string) =>
    JSON.stringify((await t.db.asSystem((tx) => tx.paymentEvent.findFirstOrThrow({ where: { eventId } }))).payload);
  const logged = () => logLines.join("\n");

  function signedStripe(text: string): Request {
    return post(text, { "Content-Type": "application/json", "Stripe-Signature": signStripeBody(text, STRIPE_SECRET) });
  }
  function signedLemon(text: string, eventName: string): Request {
    return post(text, { "Content-Type": "application/json", "X-Event-Name": eventName, "X-Signature": signLemonSqueezyBody(text, LS_SECRET) });
  }
  async function stripeCheckout(seed: string, object: Record<string, unknown>) {
    const user = await newUser();
    const stripe = stripeFake({ seed, startAt: new Date(Date.now() - 60_000) });
    const event = stripe.checkoutSessionCompleted({ userId: user, plan: "growth", customerId: stripe.customerId() });
    return { user, event: { ...event, data: { object: { ...event.data.object, ...object } } } };
  }
  async function lemonOrder(seed: string, change: (body: ReturnType<ReturnType<typeof lemonSqueezyFake>["order"]>) => void) {
    const user = await newUser();
    const lemon = lemonSqueezyFake({ seed, startAt: new Date(Date.now() - 60_000) });
    const body = lemon.order("order_created", { custom: { userId: user, plan: "pro" }, customerId: lemon.customerId() });
    change(body);
    return { user, body, eventId: `order_created:${body.data.id}:${String(body.data.attributes.updated_at)}` };
  }

  it("stores a Stripe event whose strings hold NUL or a lone surrogate, repaired, and applies its plan", async () => {
    for (const [seed, value] of [["nul", "Ow\u0000ner"], ["surrogate", "lone \ud800 half"]] as const) {
      const { user, event } = await stripeCheckout(seed, { metadata: { note: value } });
      const response = await handlePaymentWebhook(stripeRequest(event), deps());
      expect(response.status, seed).toBe(200);
      expect(await planOf(user)).toBe("growth");
      expect(await storedPayload(event.id)).not.toMatch(/\\u0000|\\ud800/);
    }
  });

  it("stores a Stripe event nested 200,000 levels deep, cut at a marker, and applies its plan", async () => {
    const { user, event } = await stripeCheckout("deep", { metadata: { deep: NESTED } });
    const response = await handlePaymentWebhook(signedStripe(nested(JSON.stringify(event))), deps());
    expect(response.status).toBe(200);
    expect(await planOf(user)).toBe("growth");
    expect(await storedPayload(event.id)).toContain("[nested too deep]");
  });

  it("keeps a Stripe event with an impossible time or amount as failed, answers 200 and changes no plan", async () => {
    const cases = [
      ["created 1e20", (text: string) => text.replace(/"created":\d+/g, '"created":1e20')],
      ["created 1e13", (text: string) => text.replace(/"created":\d+/g, '"created":10000000000000')],
      ["amount 1e300", (text: string) => text.replace(/"amount_total":\d+/, '"amount_total":1e300')],
    ] as const;
    for (const [label, poison] of cases) {
      const { user, event } = await stripeCheckout(label, {});
      const failedBefore = (await failedRows()).length;
      const paymentsBefore = await paymentEventCount();
      logLines.length = 0;
      const request = () => signedStripe(poison(JSON.stringify(event)));
      const response = await handlePaymentWebhook(request(), deps());
      expect(response.status, label).toBe(200);
      expect(await response.text()).toMatch(/refused/);
      // The provider's retry of the same body is answered the same way and kept once.
      expect((await handlePaymentWebhook(request(), deps())).status, label).toBe(200);
      expect(await paymentEventCount()).toBe(paymentsBefore);
      expect((await failedRows()).length, label).toBe(failedBefore + 1);
      expect(await planOf(user)).toBe("trial");
      expect(logged()).toContain(event.id);
      expect(logged()).toMatch(label.startsWith("created") ? /occurredAt/ : /amountCents/);
      expect(logged()).not.toContain("owner@example.com");
    }
  });

  it("stores a Lemon Squeezy event with NUL, lone surrogates or deep nesting in custom data and attributes, and applies its plan", async () => {
    const cases = [
      ["custom NUL", (body: { meta: { custom_data?: Record<string, unknown> } }) => Object.assign(body.meta.custom_data ?? {}, { note: "a\u0000b" })],
      ["attribute surrogate", (body: { data: { attributes: Record<string, unknown> } }) => Object.assign(body.data.attributes, { user_name: "Ow\udfffner" })],
      ["custom deep", (body: { meta: { custom_data?: Record<string, unknown> } }) => Object.assign(body.meta.custom_data ?? {}, { deep: NESTED })],
    ] as const;
    for (const [label, change] of cases) {
      const { user, body, eventId } = await lemonOrder(label, change as (body: unknown) => void);
      const response = await handlePaymentWebhook(signedLemon(nested(JSON.stringify(body)), "order_created"), deps());
      expect(response.status, label).toBe(200);
      expect(await planOf(user), label).toBe("pro");
      expect(await storedPayload(eventId)).not.toMatch(/\\u0000|\\udfff/);
    }
  });

  it("keeps a Lemon Squeezy event with an impossible time or amount as failed, answers 200 and changes no plan", async () => {
    const cases = [
      ["updated in 9999", (body: { data: { attributes: Record<string, unknown> } }) => Object.assign(body.data.attributes, { updated_at: "9999-12-31T00:00:00.000000Z" })],
      ["updated in 1900", (body: { data: { attributes: Record<string, unknown> } }) => Object.assign(body.data.attributes, { updated_at: "1900-01-01T00:00:00.000000Z" })],
      ["total 1e300", (body: { data: { attributes: Record<string, unknown> } }) => Object.assign(body.data.attributes, { total: 1e300 })],
    ] as const;
    for (const [label, change] of cases) {
      const { user, body } = await lemonOrder(label, change as (body: unknown) => void);
      const failedBefore = (await failedRows()).length;
      const paymentsBefore = await paymentEventCount();
      logLines.length = 0;
      const response = await handlePaymentWebhook(signedLemon(JSON.stringify(body), "order_created"), deps());
      expect(response.status, label).toBe(200);
      expect(await response.text()).toMatch(/refused/);
      expect(await paymentEventCount(), label).toBe(paymentsBefore);
      expect((await failedRows()).length, label).toBe(failedBefore + 1);
      expect(await planOf(user), label).toBe("trial");
      expect(logged()).toMatch(label.startsWith("total") ? /amountCents/ : /occurredAt/);
      expect(logged()).not.toContain("owner@example.com");
      expect(logged()).not.toContain("Owner");
    }
  });

  it("answers 500 while the database is unreachable, and records the provider's retry", async () => {
    const { user, event } = await stripeCheckout("outage", {});
    const down = createDb({ url: "postgresql://audnix_app@127.0.0.1:1/none", maxConnections: 1 });
    try {
      const offline = deps({ record: (input) => recordPaymentEvent(down, input), recordRefused: (input) => recordRefusedPaymentEvent(down, input) });
      expect((await handlePaymentWebhook(stripeRequest(event), offline)).status).toBe(500);
      const lemon = await lemonOrder("outage", () => undefined);
      expect((await handlePaymentWebhook(signedLemon(JSON.stringify(lemon.body), "order_created"), offline)).status).toBe(500);
    } finally {
      await down.close();
    }
    expect(await planOf(user)).toBe("trial");
    expect((await handlePaymentWebhook(stripeRequest(event), deps())).status).toBe(200);
    expect(await planOf(user)).toBe("growth");
  });
});
