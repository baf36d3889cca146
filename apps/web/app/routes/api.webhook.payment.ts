import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { dispatchWebhook } from "../webhooks/webhook-router.server.ts";

export const loader = ({ request }: LoaderFunctionArgs) => dispatchWebhook("payment", request);
export const action = ({ request }: ActionFunctionArgs) => dispatchWebhook("payment", request);
