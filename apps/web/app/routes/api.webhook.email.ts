import type { ActionFunctionArgs } from "@remix-run/node";
import { handleMailgunInbound } from "../webhooks/email-webhook.server.ts";
import { methodNotAllowed } from "../webhooks/method-not-allowed.server.ts";
import { emailWebhookDeps } from "../webhooks/webhook-deps.server.ts";

// Mailgun only ever POSTs here; a GET (a browser, a crawler) learns which method is expected.
export function loader() {
  return methodNotAllowed("POST");
}

export function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed("POST");
  return handleMailgunInbound(request, emailWebhookDeps());
}
