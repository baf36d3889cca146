import { handleMailgunInbound } from "./email-webhook.server.ts";
import { handleMetaDelivery, handleMetaHandshake } from "./meta-webhook.server.ts";
import { methodNotAllowed } from "./method-not-allowed.server.ts";
import { emailWebhookDeps, instagramWebhookDeps, whatsAppWebhookDeps } from "./webhook-deps.server.ts";

export const WEBHOOK_PATH_PREFIX = "/api/webhook/";

const WEBHOOK_CHANNELS = ["instagram", "whatsapp", "email"] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

/**
 * The one place that maps a webhook request to its pipeline. The Remix resource routes call it in
 * development; the production server calls it before Remix (server.ts), so both behave the same.
 */
export function dispatchWebhook(channel: WebhookChannel, request: Request): Response | Promise<Response> {
  if (channel === "email") {
    // Mailgun only ever POSTs; a GET (a browser, a crawler) learns which method is expected.
    return request.method === "POST" ? handleMailgunInbound(request, emailWebhookDeps()) : methodNotAllowed("POST");
  }
  const deps = channel === "instagram" ? instagramWebhookDeps() : whatsAppWebhookDeps();
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
