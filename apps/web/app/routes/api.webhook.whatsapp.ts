import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { dispatchWebhook } from "../webhooks/webhook-router.server.ts";

export const loader = ({ request }: LoaderFunctionArgs) => dispatchWebhook("whatsapp", request);
export const action = ({ request }: ActionFunctionArgs) => dispatchWebhook("whatsapp", request);
