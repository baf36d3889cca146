import { verifyMailgunSignature, type Logger } from "@audnix/core";
import { repeatOutcome, type CaptureInput, type MailgunCaptureResult, type MailgunTokenUse } from "@audnix/db";
import type { MailgunFormJob } from "@audnix/integrations";
import { captureAndAcknowledge } from "./acknowledge-delivery.server.ts";
import type { MailgunFormOutcome } from "./mailgun-form-pool.server.ts";
import { peekMailgunSignature } from "./mailgun-form-signature.server.ts";
import type { UnfinishedTokens } from "./unfinished-tokens.server.ts";
import { EMAIL_WEBHOOK_BODY_LIMIT_BYTES, readCappedBody } from "./read-capped-body.server.ts";
import { notConfigured, rejectDelivery, retryLater, tooLarge, type ChannelSetting } from "./webhook-responses.server.ts";

export interface EmailWebhookDeps {
  /** Mailgun's webhook signing key: HMAC of timestamp + token. */
  signingKey: ChannelSetting;
  /**
   * The form decoded, checked against the verified signature, hashed and (when asked) its MIME
   * parsed into a delivery: a MailgunFormPool's `decode`, on a worker thread (decision 0019).
   */
  decode: (job: MailgunFormJob) => Promise<MailgunFormOutcome>;
  /** Tokens whose decode did not finish once: a second time is refused for good. */
  unfinished: UnfinishedTokens;
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

const unfinishedReasons = {
  over_budget: "email decoding ran over its time budget",
  failed: "email decoding failed",
} as const;

// Mailgun keeps its own retry schedule (10 min first); the header is for any other client.
const RETRY_AFTER_SECONDS = 60;

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

  // A repeat is answered without its MIME parsed (the claim at capture still settles races).
  const seen = await deps.usedToken(signature.token);
  const decoded = await deps.decode({ body: body.bytes, contentType, signature, receivedAt, parseMime: seen === null });
  // The body went to the worker thread; neither answer below has its hash, only its size.
  if (decoded.status === "busy") return retryLater(log, "inbound email decoding is at capacity", RETRY_AFTER_SECONDS, { bytes });
  if (decoded.status === "unfinished") {
    const reason = unfinishedReasons[decoded.reason];
    if (deps.unfinished.again(signature.token, verdict.expiresAt, receivedAt)) return rejectDelivery(log, 406, `${reason}, twice`, { bytes });
    return retryLater(log, reason, RETRY_AFTER_SECONDS, { bytes });
  }
  const result = decoded.result;
  const { deliveryId } = result;
  if (result.kind === "unreadable_form") return rejectDelivery(log, 400, "unreadable form", { bytes });
  if (result.kind === "signature_mismatch") return rejectDelivery(log, 401, signatureProblems.malformed, { bytes });
  if (seen !== null) return answerRepeat(log, repeatOutcome(seen, result.contentSha256), deliveryId, bytes);
  if (result.kind === "malformed") return rejectDelivery(log, 400, "unexpected inbound email fields", { bytes, problem: result.problem });
  if (result.kind === "hashed") throw new Error("a new token's email came back without its MIME parsed");

  const token: MailgunTokenUse = { token: signature.token, contentSha256: result.contentSha256, signedAt: verdict.signedAt, expiresAt: verdict.expiresAt };
  const capture = async (input: CaptureInput) => {
    const captured = await deps.capture(input, token);
    return captured.outcome === "captured" ? captured.summary : answerRepeat(log, captured.outcome, input.deliveryId, bytes);
  };
  return captureAndAcknowledge({ log, capture, delivery: result.delivery, deliveryId, bytes, receivedAt });
}

/** A token used before: a replay is refused; Mailgun retrying a stored delivery (our 200 got lost) only needs its answer. */
function answerRepeat(log: Logger, outcome: "redelivered" | "replayed", deliveryId: string, bytes: number): Response {
  if (outcome === "replayed") return rejectDelivery(log, 401, "signature already used with another body (a replay)", { bytes });
  log.info("webhook redelivered: already stored under this token", { deliveryId, bytes });
  return Response.json({ ok: true });
}
