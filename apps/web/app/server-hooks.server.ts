import { getEnv } from "./env.server.ts";
import { logger } from "./logger.server.ts";
import { createCspNonce, securityHeaders } from "./security-headers.server.ts";
import { dispatchWebhook, webhookChannelOf } from "./webhooks/webhook-router.server.ts";

/** Whether the production server should send a request to handleWebhookRequest. */
export function isWebhookPath(pathname: string): boolean {
  return webhookChannelOf(pathname) !== null;
}

/**
 * Answers a webhook request. The production server calls it before Express and Remix: webhooks
 * are the product's hot path and gain several times the throughput by skipping them
 * (docs/decisions/0006-webhooks-skip-remix-in-production.md).
 */
export function handleWebhookRequest(request: Request): Response | Promise<Response> {
  const channel = webhookChannelOf(new URL(request.url).pathname);
  if (channel === null) throw new Error(`not a webhook path: ${request.url}`);
  return dispatchWebhook(channel, request);
}

/** Where the production server listens, from the validated environment. */
export function listenAddress(): { port: number; host: string | undefined } {
  const env = getEnv();
  return { port: env.PORT, host: env.HOST };
}

/** Express's "trust proxy": which proxies may name the client's address (default none). */
export function trustProxy(): false | number | string[] {
  return getEnv().trustProxy;
}

/** The security headers for one response (`nonce` null: not a page). */
export function responseSecurityHeaders(nonce: string | null): Record<string, string> {
  return securityHeaders(nonce, getEnv().NODE_ENV);
}

export { createCspNonce };

/** A failure outside Remix (Express middleware); Remix's own go through handleError. */
export function logServerError(error: unknown, request: { method: string; url: string }): void {
  logger.error("request failed", { ...request, error });
}
