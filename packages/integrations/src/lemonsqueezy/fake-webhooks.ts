import { createHash, createHmac } from "node:crypto";
import type { PaidPlan } from "@audnix/core";
import { fakeSequence } from "../fake-sequence.ts";

// Lemon Squeezy webhooks exactly as Lemon Squeezy documents them: a JSON:API document whose meta
// names the event and echoes the checkout's custom data, with the order, subscription or
// subscription invoice as data. Sign the serialized body with signLemonSqueezyBody.

export type LemonSqueezyOrderEvent = "order_created" | "order_refunded";
export type LemonSqueezySubscriptionEvent =
  | "subscription_created"
  | "subscription_updated"
  | "subscription_cancelled"
  | "subscription_resumed"
  | "subscription_expired"
  | "subscription_paused"
  | "subscription_unpaused";
export type LemonSqueezyInvoiceEvent = "subscription_payment_success" | "subscription_payment_failed" | "subscription_payment_recovered";

export interface LemonSqueezyWebhookBody {
  meta: { event_name: string; test_mode: boolean; webhook_id: string; custom_data?: Record<string, unknown> };
  data: {
    type: "orders" | "subscriptions" | "subscription-invoices";
    id: string;
    attributes: Record<string, unknown>;
    links: { self: string };
  };
}

/** What the checkout link carried (`checkout[custom][user_id]`, `checkout[custom][plan]`). */
export interface LemonSqueezyCustomData {
  userId: string;
  plan: PaidPlan;
}

export interface LemonSqueezyFakeOptions {
  seed?: string;
  /** updated_at of the first body; each further body is one second later. */
  startAt?: Date;
}

export interface LemonSqueezyOrderOptions {
  custom: LemonSqueezyCustomData;
  customerId: number;
  status?: "pending" | "failed" | "paid" | "refunded" | "partial_refund";
  totalCents?: number;
  currency?: string;
}

export interface LemonSqueezySubscriptionOptions {
  custom: LemonSqueezyCustomData;
  customerId: number;
  subscriptionId: string;
  status: "on_trial" | "active" | "paused" | "past_due" | "unpaid" | "cancelled" | "expired";
  /** When a cancelled subscription's paid period ends; null when it ended at once. */
  endsAt?: Date | null;
}

export interface LemonSqueezyInvoiceOptions {
  custom: LemonSqueezyCustomData;
  customerId: number;
  subscriptionId: string;
  status?: "pending" | "paid" | "void" | "refunded" | "partial_refund";
  totalCents?: number;
  currency?: string;
}

export interface LemonSqueezyFake {
  /** A fresh numeric customer id. */
  customerId(): number;
  /** A fresh subscription id (Lemon Squeezy ids are numeric strings). */
  subscriptionId(): string;
  order(event: LemonSqueezyOrderEvent, options: LemonSqueezyOrderOptions): LemonSqueezyWebhookBody;
  subscription(event: LemonSqueezySubscriptionEvent, options: LemonSqueezySubscriptionOptions): LemonSqueezyWebhookBody;
  subscriptionInvoice(event: LemonSqueezyInvoiceEvent, options: LemonSqueezyInvoiceOptions): LemonSqueezyWebhookBody;
}

// Sandbox amounts only: what an owner is charged is configured in the store, not here.
const FAKE_PRICE_CENTS: Record<PaidPlan, number> = { starter: 4900, growth: 9900, pro: 19900 };
const API = "https://api.lemonsqueezy.com/v1";

export function lemonSqueezyFake(options: LemonSqueezyFakeOptions = {}): LemonSqueezyFake {
  const seed = options.seed ?? "lemonsqueezy";
  const sequence = fakeSequence(seed, options.startAt ?? new Date("2026-01-05T10:00:00.000Z"));
  // Numeric ids, distinct per seed, like Lemon Squeezy's.
  const base = Number.parseInt(createHash("sha256").update(seed).digest("hex").slice(0, 6), 16) * 1000;
  const numericId = () => base + sequence.next();
  // Times count bodies, not ids, so consecutive bodies are exactly one second apart.
  let sent = 0;

  function body(
    eventName: string,
    type: LemonSqueezyWebhookBody["data"]["type"],
    id: string,
    custom: LemonSqueezyCustomData,
    attributes: Record<string, unknown>,
  ): LemonSqueezyWebhookBody {
    // Lemon Squeezy writes microseconds: 2026-01-05T10:00:01.000000Z.
    const updatedAt = new Date(sequence.at(sent++)).toISOString().replace(/Z$/, "000Z");
    return {
      meta: { event_name: eventName, test_mode: true, webhook_id: `${seed}-webhook`, custom_data: { user_id: custom.userId, plan: custom.plan } },
      data: {
        type,
        id,
        attributes: { store_id: 1, test_mode: true, ...attributes, created_at: updatedAt, updated_at: updatedAt },
        links: { self: `${API}/${type}/${id}` },
      },
    };
  }

  return {
    customerId: numericId,
    subscriptionId: () => String(numericId()),
    order: (event, order) => {
      const total = order.totalCents ?? FAKE_PRICE_CENTS[order.custom.plan];
      const status = order.status ?? (event === "order_refunded" ? "refunded" : "paid");
      return body(event, "orders", String(numericId()), order.custom, {
        customer_id: order.customerId,
        identifier: `${seed}-order`,
        user_name: "Owner",
        user_email: "owner@example.com",
        currency: order.currency ?? "USD",
        subtotal: total,
        total,
        status,
        refunded: status === "refunded",
      });
    },
    subscription: (event, subscription) =>
      body(event, "subscriptions", subscription.subscriptionId, subscription.custom, {
        customer_id: subscription.customerId,
        product_name: `Audnix ${subscription.custom.plan}`,
        user_name: "Owner",
        user_email: "owner@example.com",
        status: subscription.status,
        cancelled: subscription.status === "cancelled",
        pause: subscription.status === "paused" ? { mode: "void", resumes_at: null } : null,
        ends_at: subscription.endsAt ? subscription.endsAt.toISOString() : null,
      }),
    subscriptionInvoice: (event, invoice) => {
      const total = invoice.totalCents ?? FAKE_PRICE_CENTS[invoice.custom.plan];
      return body(event, "subscription-invoices", String(numericId()), invoice.custom, {
        customer_id: invoice.customerId,
        subscription_id: Number(invoice.subscriptionId),
        billing_reason: "renewal",
        currency: invoice.currency ?? "USD",
        status: invoice.status ?? (event === "subscription_payment_failed" ? "pending" : "paid"),
        subtotal: total,
        total,
      });
    },
  };
}

/** The X-Signature value Lemon Squeezy sends: hex HMAC-SHA256 of exactly these bytes. */
export function signLemonSqueezyBody(body: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

export interface LemonSqueezyWebhookRequest {
  body: string;
  headers: { "content-type": string; "x-event-name": string; "x-signature": string };
}

/** A webhook POST as Lemon Squeezy would send it: the body, its event name and its signature. */
export function signedLemonSqueezyRequest(payload: LemonSqueezyWebhookBody, secret: string): LemonSqueezyWebhookRequest {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: { "content-type": "application/json", "x-event-name": payload.meta.event_name, "x-signature": signLemonSqueezyBody(body, secret) },
  };
}
