import {
  checkPaymentEvent,
  idProblem,
  MalformedPaymentEventError,
  parseLemonSqueezyEvent,
  verifyLemonSqueezySignature,
  type Logger,
  type PaymentEvent,
} from "@audnix/core";
import type { RecordPaymentEventInput, RecordPaymentEventResult, RecordRefusedPaymentEventInput } from "@audnix/db";
import type { StripeWebhookVerification } from "@audnix/integrations";
import { parseJson } from "./parse-json.server.ts";
import { readCappedBody, WEBHOOK_BODY_LIMIT_BYTES } from "./read-capped-body.server.ts";
import { notConfigured, plainText, rejectDelivery, tooLarge, type ChannelSetting } from "./webhook-responses.server.ts";

/** Everything the payment webhook needs; the deps module builds it from the environment, tests from fixtures. */
export interface PaymentWebhookDeps {
  /** Stripe's endpoint secret (whsec_…): signs `t.rawbody` in the Stripe-Signature header. */
  stripeSecret: ChannelSetting;
  /** Lemon Squeezy's signing secret: HMAC of the raw body in X-Signature. */
  lemonSqueezySecret: ChannelSetting;
  /** Checks Stripe's signature and replay window (against `receivedAt`), and reads the event. */
  verifyStripe: (rawBody: Uint8Array, header: string | null, secret: string, receivedAt: Date) => StripeWebhookVerification;
  /** The billing transaction (`recordPaymentEvent` bound to a database), injected so tests choose the database. */
  record: (input: RecordPaymentEventInput) => Promise<RecordPaymentEventResult>;
  /** Keeps a verified event checkPaymentEvent refused (`recordRefusedPaymentEvent` bound to a database). */
  recordRefused: (input: RecordRefusedPaymentEventInput) => Promise<void>;
  logger: Logger;
  now: () => Date;
}

const stripeProblems = {
  missing_signature: "missing signature",
  bad_signature: "bad signature",
  stale: "stale timestamp (older than the replay window)",
} as const;

/**
 * POST: one billing event from Stripe or Lemon Squeezy, told apart by their signature headers.
 * The signature is checked on the raw bytes before anything is parsed or written, so a forged
 * event can never change a plan.
 */
export async function handlePaymentWebhook(request: Request, deps: PaymentWebhookDeps): Promise<Response> {
  const stripeSignature = request.headers.get("Stripe-Signature");
  const lemonSqueezySignature = request.headers.get("X-Signature");
  if (stripeSignature === null && lemonSqueezySignature === null) {
    return rejectDelivery(deps.logger.child({ channel: "payment" }), 401, "missing signature (neither Stripe-Signature nor X-Signature)");
  }
  const provider = stripeSignature !== null ? "stripe" : "lemonsqueezy";
  const log = deps.logger.child({ channel: provider });
  const setting = provider === "stripe" ? deps.stripeSecret : deps.lemonSqueezySecret;
  const secret = setting.value;
  if (secret === undefined) return notConfigured(log, provider, setting);
  const receivedAt = deps.now();

  const body = await readCappedBody(request, WEBHOOK_BODY_LIMIT_BYTES);
  if (!body.ok) return tooLarge(log, WEBHOOK_BODY_LIMIT_BYTES);
  const bytes = body.bytes.byteLength;

  let event: PaymentEvent;
  let payload: unknown;
  if (provider === "stripe") {
    const verdict = deps.verifyStripe(body.bytes, stripeSignature, secret, receivedAt);
    if (!verdict.ok) {
      if (verdict.reason === "malformed") return rejectDelivery(log, 400, "signed body is not a Stripe event", { bytes });
      return rejectDelivery(log, 401, stripeProblems[verdict.reason], { bytes });
    }
    const json = parseJson(body.bytes);
    if (!json.ok) return rejectDelivery(log, 400, "body is not JSON", { bytes });
    event = verdict.event;
    payload = json.value;
  } else {
    if (!verifyLemonSqueezySignature(body.bytes, lemonSqueezySignature, secret)) {
      return rejectDelivery(log, 401, "bad signature", { bytes });
    }
    const json = parseJson(body.bytes);
    if (!json.ok) return rejectDelivery(log, 400, "body is not JSON", { bytes });
    try {
      event = parseLemonSqueezyEvent(json.value, request.headers.get("X-Event-Name"));
    } catch (error) {
      if (!(error instanceof MalformedPaymentEventError)) throw error;
      return rejectDelivery(log, 400, "unexpected payload shape", { bytes, problem: error.message });
    }
    payload = json.value;
  }

  // Names the event in logs when its own fields are fit to be logged; never the payload (buyers' emails, names).
  const named = {
    eventId: idProblem("eventId", event.eventId) === null ? event.eventId : "(unusable)",
    eventName: idProblem("eventName", event.eventName) === null ? event.eventName : "(unusable)",
  };
  const check = checkPaymentEvent(event, receivedAt);
  try {
    if (!check.ok) {
      await deps.recordRefused({ provider, payload, reason: check.reason, receivedAt });
      // 200: the same body fails the same way on every retry; it is kept as failed for an operator.
      log.warn("payment event refused; kept as failed", { ...named, problem: check.reason });
      return Response.json({ ok: true, refused: check.reason });
    }
    const recorded = await deps.record({ event: check.event, payload, receivedAt });
    if (recorded.outcome === "refused") {
      log.warn("payment event refused by the database; kept as failed", { ...named, sqlState: recorded.sqlState });
      return Response.json({ ok: true, refused: `database refused the event (SQLSTATE ${recorded.sqlState})` });
    }
    log.info("payment event recorded", {
      ...named,
      outcome: recorded.outcome,
      // Unmatched events are kept for reconciliation; the log says so without naming anyone.
      matched: recorded.userId !== null,
      plan: recorded.plan,
    });
    return Response.json({ ok: true });
  } catch (error) {
    // Only what a retry can get past reaches here (database unreachable, transient SQLSTATE): 500
    // makes the provider retry, and the event id makes the retry safe.
    log.error("payment event not recorded", { ...named, error });
    return plainText(500, "recording failed; retry later");
  }
}
