import { getEnv } from "./env.server.ts";
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
