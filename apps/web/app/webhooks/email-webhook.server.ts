import { MalformedDeliveryError, verifyMailgunSignature, type Logger, type ParsedDelivery } from "@audnix/core";
import { captureAndAcknowledge, type CaptureDelivery } from "./acknowledge-delivery.server.ts";
import { readCappedBody, WEBHOOK_BODY_LIMIT_BYTES } from "./read-capped-body.server.ts";
import { notConfigured, rejectDelivery, tooLarge, type ChannelSetting } from "./webhook-responses.server.ts";

export interface EmailWebhookDeps {
  /** Mailgun's webhook signing key: HMAC of timestamp + token. */
  signingKey: ChannelSetting;
  /**
   * Mailgun's "forward to URL ending in mime" fields -> a delivery (MIME parsed, quotes stripped);
   * `receivedAt` stands in for a mail without a Date header.
   */
  parse: (fields: Record<string, string>, receivedAt: Date) => Promise<ParsedDelivery>;
  capture: CaptureDelivery;
  logger: Logger;
  now: () => Date;
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

const signatureProblems = {
  bad_signature: "bad signature",
  stale: "stale timestamp (older than the replay window)",
  malformed: "missing or malformed signature fields",
} as const;

/** POST: one inbound email from Mailgun's inbound route. */
export async function handleMailgunInbound(request: Request, deps: EmailWebhookDeps): Promise<Response> {
  const log = deps.logger.child({ channel: "email" });
  const signingKey = deps.signingKey.value;
  if (signingKey === undefined) return notConfigured(log, "email", deps.signingKey);
  const receivedAt = deps.now();

  const body = await readCappedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
  if (!body.ok) return tooLarge(log, WEBHOOK_BODY_LIMIT_BYTES);
  const bytes = body.bytes.byteLength;

  const contentType = request.headers.get("Content-Type") ?? "";
  if (!FORM_TYPES.test(contentType)) return rejectDelivery(log, 400, "body is not a form", { bytes });
  const fields = await readFormFields(body.bytes, contentType);
  if (fields === null) return rejectDelivery(log, 400, "unreadable form", { bytes });

  const verdict = verifyMailgunSignature(
    { timestamp: fields.timestamp ?? "", token: fields.token ?? "", signature: fields.signature ?? "" },
    signingKey,
    receivedAt,
  );
  if (!verdict.ok) return rejectDelivery(log, 401, signatureProblems[verdict.reason], { bytes });

  let delivery: ParsedDelivery;
  try {
    delivery = await deps.parse(fields, receivedAt);
  } catch (error) {
    if (!(error instanceof MalformedDeliveryError)) throw error;
    return rejectDelivery(log, 400, "unexpected inbound email fields", { bytes, problem: error.message });
  }
  return captureAndAcknowledge({ log, capture: deps.capture, delivery, rawBody: body.bytes, receivedAt });
}

/**
 * The form's text fields. In the MIME format attachments travel inside body-mime, so file parts
 * (which only the other format sends) are left out.
 */
async function readFormFields(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<Record<string, string> | null> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    return null;
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of form) {
    if (typeof value === "string") fields[name] = value;
  }
  return fields;
}
