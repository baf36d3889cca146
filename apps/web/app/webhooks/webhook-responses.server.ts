import type { LogFields, Logger } from "@audnix/core";

export const CHANNEL_LABELS = {
  instagram: "Instagram",
  whatsapp: "WhatsApp",
  email: "Email",
  stripe: "Stripe",
  lemonsqueezy: "Lemon Squeezy",
} as const;
export type WebhookChannel = keyof typeof CHANNEL_LABELS;

/** A secret a channel needs, with the variable that sets it (named in the 503 so operators know what to do). */
export interface ChannelSetting {
  envName: string;
  value: string | undefined;
}

export function plainText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}

/**
 * Refuses a delivery and logs why. The log line carries the reason and sizes only: never the
 * body (it is customer content) and never a secret.
 */
export function rejectDelivery(log: Logger, status: number, reason: string, fields: LogFields = {}): Response {
  log.warn(`webhook rejected: ${reason}`, { status, ...fields });
  return plainText(status, `webhook rejected: ${reason}`);
}

/** A transient refusal (5xx): the platform retries, and Retry-After says when it is worth it. */
export function retryLater(log: Logger, reason: string, retryAfterSeconds: number, fields: LogFields = {}): Response {
  log.warn(`webhook deferred: ${reason}`, { status: 503, ...fields });
  return plainText(503, `${reason}; retry later`, { "Retry-After": String(retryAfterSeconds) });
}

/** A channel without its secret could only accept unsigned input, so it accepts nothing. */
export function notConfigured(log: Logger, channel: WebhookChannel, setting: ChannelSetting): Response {
  const message = `${CHANNEL_LABELS[channel]} webhooks are not configured (set ${setting.envName})`;
  log.warn(`webhook rejected: ${message}`, { status: 503 });
  return plainText(503, message);
}

/**
 * 413 for a body over the cap (406 for Mailgun, which retries everything but 200 and 406 for
 * hours). The unread rest stays in the socket, so the connection is closed after the answer rather
 * than drained for the next request.
 */
export function tooLarge(log: Logger, limitBytes: number, status: 406 | 413 = 413): Response {
  log.warn("webhook rejected: body too large", { status, limitBytes });
  return plainText(status, `webhook rejected: body larger than ${limitBytes} bytes`, { Connection: "close" });
}
