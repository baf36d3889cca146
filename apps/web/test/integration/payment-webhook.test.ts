import { randomBytes, randomUUID } from "node:crypto";
import { createLogger } from "@audnix/core";
import { recordPaymentEvent } from "@audnix/db";
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
