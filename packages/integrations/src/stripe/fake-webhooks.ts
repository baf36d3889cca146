import type { PaidPlan } from "@audnix/core";
import Stripe from "stripe";
import { fakeSequence } from "../fake-sequence.ts";

// Stripe webhook events exactly as Stripe documents them (snapshot events, API 2025+ shapes), for
// the events billing handles. Sign the serialized body with signStripeBody, which uses the SDK's
// own test-header helper, so the fake and verifyStripeWebhook cannot drift apart.

export interface StripeWebhookEvent {
  id: string;
  object: "event";
  api_version: string;
  /** Unix seconds. */
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
  data: { object: Record<string, unknown> };
}

export interface StripeFakeOptions {
  seed?: string;
  /** Time of the first event; each further event is one second later. */
  startAt?: Date;
}

export interface StripeCheckoutOptions {
  userId: string;
  /** Appended to the client reference as `<userId>_<plan>`; omitted gives a bare `<userId>`. */
  plan?: PaidPlan;
  customerId: string;
  subscriptionId?: string;
  paymentStatus?: "paid" | "unpaid" | "no_payment_required";
  amountCents?: number;
  currency?: string;
}

export interface StripeSubscriptionOptions {
  customerId: string;
  subscriptionId: string;
  /** The price's lookup_key; null stands for a price our plans do not know. */
  plan: PaidPlan | null;
  status: "active" | "trialing" | "past_due" | "unpaid" | "canceled" | "incomplete" | "incomplete_expired" | "paused";
}

export interface StripeInvoiceOptions {
  customerId: string;
  subscriptionId: string;
  amountCents: number;
  currency?: string;
}

export interface StripeFake {
  /** A fresh `cus_…` id. */
  customerId(): string;
  /** A fresh `sub_…` id. */
  subscriptionId(): string;
  checkoutSessionCompleted(options: StripeCheckoutOptions): StripeWebhookEvent;
  subscription(type: "created" | "updated" | "deleted", options: StripeSubscriptionOptions): StripeWebhookEvent;
  invoice(type: "paid" | "payment_failed", options: StripeInvoiceOptions): StripeWebhookEvent;
}

const API_VERSION = "2025-10-29.clover";
// Sandbox amounts only: what an owner is charged is configured on the payment links, not here.
const FAKE_PRICE_CENTS: Record<PaidPlan, number> = { starter: 4900, growth: 9900, pro: 19900 };

export function stripeFake(options: StripeFakeOptions = {}): StripeFake {
  const sequence = fakeSequence(options.seed ?? "stripe", options.startAt ?? new Date("2026-01-05T10:00:00.000Z"));
  const fresh = (prefix: string) => sequence.id(prefix, sequence.next());
  // Times count events, not ids, so consecutive events are exactly one second apart.
  let sent = 0;

  function event(type: string, object: Record<string, unknown>): StripeWebhookEvent {
    const created = Math.floor(sequence.at(sent++) / 1000);
    return {
      id: fresh("evt_"),
      object: "event",
      api_version: API_VERSION,
      created,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: { ...object, created } },
    };
  }

  return {
    customerId: () => fresh("cus_"),
    subscriptionId: () => fresh("sub_"),
    checkoutSessionCompleted: (checkout) =>
      event("checkout.session.completed", {
        id: fresh("cs_test_"),
        object: "checkout.session",
        mode: "subscription",
        status: "complete",
        payment_status: checkout.paymentStatus ?? "paid",
        client_reference_id: checkout.plan ? `${checkout.userId}_${checkout.plan}` : checkout.userId,
        customer: checkout.customerId,
        customer_details: { email: "owner@example.com", name: "Owner" },
        subscription: checkout.subscriptionId ?? fresh("sub_"),
        payment_link: fresh("plink_"),
        amount_subtotal: checkout.amountCents ?? FAKE_PRICE_CENTS[checkout.plan ?? "starter"],
        amount_total: checkout.amountCents ?? FAKE_PRICE_CENTS[checkout.plan ?? "starter"],
        currency: checkout.currency ?? "usd",
        metadata: {},
        livemode: false,
      }),
    subscription: (type, subscription) =>
      event(`customer.subscription.${type}`, {
        id: subscription.subscriptionId,
        object: "subscription",
        customer: subscription.customerId,
        status: type === "deleted" ? "canceled" : subscription.status,
        cancel_at_period_end: false,
        items: {
          object: "list",
          data: [
            {
              id: fresh("si_"),
              object: "subscription_item",
              quantity: 1,
              price: {
                id: fresh("price_"),
                object: "price",
                lookup_key: subscription.plan,
                metadata: {},
                currency: "usd",
                unit_amount: subscription.plan ? FAKE_PRICE_CENTS[subscription.plan] : 1000,
                recurring: { interval: "month", interval_count: 1 },
              },
            },
          ],
          has_more: false,
        },
        metadata: {},
        livemode: false,
      }),
    invoice: (type, invoice) =>
      event(`invoice.${type}`, {
        id: fresh("in_"),
        object: "invoice",
        customer: invoice.customerId,
        status: type === "paid" ? "paid" : "open",
        billing_reason: "subscription_cycle",
        amount_due: invoice.amountCents,
        amount_paid: type === "paid" ? invoice.amountCents : 0,
        amount_remaining: type === "paid" ? 0 : invoice.amountCents,
        currency: invoice.currency ?? "usd",
        parent: { type: "subscription_details", subscription_details: { subscription: invoice.subscriptionId, metadata: {} } },
        livemode: false,
      }),
  };
}

/** The Stripe-Signature header for exactly these bytes; `timestamp` defaults to now. */
export function signStripeBody(body: string, secret: string, timestamp: Date = new Date()): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(timestamp.getTime() / 1000) });
}

export interface StripeWebhookRequest {
  body: string;
  headers: { "content-type": string; "stripe-signature": string };
}

/** A webhook POST as Stripe would send it: the JSON body and its signature over exactly those bytes. */
export function signedStripeRequest(event: StripeWebhookEvent, secret: string, timestamp?: Date): StripeWebhookRequest {
  const body = JSON.stringify(event);
  return { body, headers: { "content-type": "application/json", "stripe-signature": signStripeBody(body, secret, timestamp) } };
}
