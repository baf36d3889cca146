import { handleMailgunInbound } from "./email-webhook.server.ts";
import { handleMetaDelivery, handleMetaHandshake } from "./meta-webhook.server.ts";
import { methodNotAllowed } from "./method-not-allowed.server.ts";
import { handlePaymentWebhook } from "./payment-webhook.server.ts";
import { emailWebhookDeps, metaWebhookDeps, paymentWebhookDeps } from "./webhook-deps.server.ts";

export const WEBHOOK_PATH_PREFIX = "/api/webhook/";

// "payment" takes both billing providers; the pipeline tells them apart by their signature header.
const WEBHOOK_CHANNELS = ["instagram", "whatsapp", "email", "payment"] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

/**
 * The one place that maps a webhook request to its pipeline. The Remix resource routes call it in
 * development; the production server calls it before Remix (server.ts), so both behave the same.
 */
export function dispatchWebhook(channel: WebhookChannel, request: Request): Response | Promise<Response> {
  if (channel === "email" || channel === "payment") {
    // Mailgun, Stripe and Lemon Squeezy only ever POST; a GET (a browser, a crawler) learns which method is expected.
    if (request.method !== "POST") return methodNotAllowed("POST");
    return channel === "email" ? handleMailgunInbound(request, emailWebhookDeps()) : handlePaymentWebhook(request, paymentWebhookDeps());
  }
  const deps = metaWebhookDeps(channel);
  if (request.method === "GET") return handleMetaHandshake(request, deps);
  if (request.method === "POST") return handleMetaDelivery(request, deps);
  return methodNotAllowed("GET, POST");
}

/** The webhook channel a path names (`/api/webhook/<channel>`), or null for any other path. */
export function webhookChannelOf(pathname: string): WebhookChannel | null {
  if (!pathname.startsWith(WEBHOOK_PATH_PREFIX)) return null;
  const name = pathname.slice(WEBHOOK_PATH_PREFIX.length).replace(/\/$/, "");
  return (WEBHOOK_CHANNELS as readonly string[]).includes(name) ? (name as WebhookChannel) : null;
}
