import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleMetaDelivery, handleMetaHandshake } from "../webhooks/meta-webhook.server.ts";
import { methodNotAllowed } from "../webhooks/method-not-allowed.server.ts";
import { whatsAppWebhookDeps } from "../webhooks/webhook-deps.server.ts";

export function loader({ request }: LoaderFunctionArgs) {
  return handleMetaHandshake(request, whatsAppWebhookDeps());
}

export function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed("GET, POST");
  return handleMetaDelivery(request, whatsAppWebhookDeps());
}
