import { createHash } from "node:crypto";
import { MalformedDeliveryError, verifyMailgunSignature, type Logger, type ParsedDelivery } from "@audnix/core";
import { repeatOutcome, type CaptureInput, type MailgunCaptureResult, type MailgunTokenUse } from "@audnix/db";
import { captureAndAcknowledge, deliveryIdOf } from "./acknowledge-delivery.server.ts";
import { peekMailgunSignature } from "./mailgun-form-signature.server.ts";
import { EMAIL_WEBHOOK_BODY_LIMIT_BYTES, readCappedBody } from "./read-capped-body.server.ts";
import { notConfigured, rejectDelivery, tooLarge, type ChannelSetting } from "./webhook-responses.server.ts";

export interface EmailWebhookDeps {
  /** Mailgun's webhook signing key: HMAC of timestamp + token. */
  signingKey: ChannelSetting;
  /**
   * Mailgun's "forward to URL ending in mime" fields -> a delivery (MIME parsed, quotes stripped);
   * `receivedAt` stands in for a mail without a Date header.
   */
  parse: (fields: Record<string, string>, receivedAt: Date) => Promise<ParsedDelivery>;
  /** `captureMailgunDelivery` bound to a database: the token is recorded in the capture's own transaction. */
  capture: (input: CaptureInput, token: MailgunTokenUse) => Promise<MailgunCaptureResult>;
  /** `usedMailgunToken` bound to a database: the content a token was first used with, or null. */
  usedToken: (token: string) => Promise<string | null>;
  logger: Logger;
  now: () => Date;
}

const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

const signatureProblems = {
  bad_signature: "bad signature",
  stale: "stale timestamp (outside Mailgun's retry window)",
  malformed: "missing or malformed signature fields",
} as const;

/** POST: one inbound email from Mailgun's inbound route. */
export async function handleMailgunInbound(request: Request, deps: EmailWebhookDeps): Promise<Response> {
  const log = deps.logger.child({ channel: "email" });
  const signingKey = deps.signingKey.value;
  if (signingKey === undefined) return notConfigured(log, "email", deps.signingKey);
  const receivedAt = deps.now();

  // 406, not 413: Mailgun stops retrying only on 200 or 406, and a bigger body never gets smaller.
  const body = await readCappedBody(request, EMAIL_WEBHOOK_BODY_LIMIT_BYTES);
  if (!body.ok) return tooLarge(log, EMAIL_WEBHOOK_BODY_LIMIT_BYTES, 406);
  const bytes = body.bytes.byteLength;

  const contentType = request.headers.get("Content-Type") ?? "";
  if (!FORM_TYPES.test(contentType)) return rejectDelivery(log, 400, "body is not a form", { bytes });
  // The signature is checked before the form is decoded: decoding 32 MiB takes seconds, an unsigned body gets none.
  const signature = peekMailgunSignature(body.bytes, contentType) ?? { timestamp: "", token: "", signature: "" };
  const verdict = verifyMailgunSignature(signature, signingKey, receivedAt);
  if (!verdict.ok) return rejectDelivery(log, 401, signatureProblems[verdict.reason], { bytes });

  const fields = await readFormFields(body.bytes, contentType);
  if (fields === null) return rejectDelivery(log, 400, "unreadable form", { bytes });
  // The decoder must read the same signature the quick scan verified, or the two disagree on the form.
  if (fields.timestamp !== signature.timestamp || fields.token !== signature.token || fields.signature !== signature.signature) {
    return rejectDelivery(log, 401, signatureProblems.malformed, { bytes });
  }
  const token: MailgunTokenUse = {
    token: signature.token,
    contentSha256: fingerprintOf(fields),
    signedAt: verdict.signedAt,
    expiresAt: verdict.expiresAt,
  };

  // A repeat is answered before its MIME is parsed (the claim at capture still settles races).
  const seen = await deps.usedToken(token.token);
  if (seen !== null) return answerRepeat(log, repeatOutcome(seen, token.contentSha256), deliveryIdOf(body.bytes), bytes);

  let delivery: ParsedDelivery;
  try {
    delivery = await deps.parse(fields, receivedAt);
  } catch (error) {
    if (!(error instanceof MalformedDeliveryError)) throw error;
    return rejectDelivery(log, 400, "unexpected inbound email fields", { bytes, problem: error.message });
  }
  const capture = async (input: CaptureInput) => {
    const result = await deps.capture(input, token);
    return result.outcome === "captured" ? result.summary : answerRepeat(log, result.outcome, input.deliveryId, bytes);
  };
  return captureAndAcknowledge({ log, capture, delivery, rawBody: body.bytes, receivedAt });
}

/** A token used before: a replay is refused; Mailgun retrying a stored delivery (our 200 got lost) only needs its answer. */
function answerRepeat(log: Logger, outcome: "redelivered" | "replayed", deliveryId: string, bytes: number): Response {
  if (outcome === "replayed") return rejectDelivery(log, 401, "signature already used with another body (a replay)", { bytes });
  log.info("webhook redelivered: already stored under this token", { deliveryId, bytes });
  return Response.json({ ok: true });
}

/** The form's content, whatever its encoding or multipart boundary: a retry of the same form hashes the same. */
function fingerprintOf(fields: Record<string, string>): string {
  const entries = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
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
