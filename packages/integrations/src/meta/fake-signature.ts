import { createHmac } from "node:crypto";

/** The X-Hub-Signature-256 value Meta sends with a webhook body (Instagram and WhatsApp alike). */
export function signMetaBody(rawBody: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

export interface MetaWebhookRequest {
  body: string;
  headers: { "content-type": string; "x-hub-signature-256": string };
}

/** A webhook POST as Meta would send it: the JSON body and its signature over exactly those bytes. */
export function signedMetaRequest(payload: unknown, appSecret: string): MetaWebhookRequest {
  const body = JSON.stringify(payload);
  return { body, headers: { "content-type": "application/json", "x-hub-signature-256": signMetaBody(body, appSecret) } };
}
