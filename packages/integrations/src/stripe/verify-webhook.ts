import { MalformedPaymentEventError, type PaymentEvent, paymentEventFromStripe } from "@audnix/core";
import Stripe from "stripe";

/** Stripe's own default, named here because the platform facts require it (replays older than this fail). */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

export type StripeWebhookVerification =
  | { ok: true; event: PaymentEvent }
  | { ok: false; reason: "missing_signature" | "bad_signature" | "stale" | "malformed" };

/**
 * Verifies a Stripe webhook with the SDK (Stripe-Signature over the raw bytes, 300 s tolerance) and
 * turns it into a PaymentEvent. The static `Stripe.webhooks` needs no client, so no API key is
 * involved: verification is pure computation. `now` is the receive time, injectable for tests.
 */
export function verifyStripeWebhook(
  rawBody: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string,
  now: Date = new Date(),
): StripeWebhookVerification {
  if (!signatureHeader) return { ok: false, reason: "missing_signature" };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, STRIPE_WEBHOOK_TOLERANCE_SECONDS, undefined, now.getTime());
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      return { ok: false, reason: isOnlyStale(rawBody, signatureHeader, secret) ? "stale" : "bad_signature" };
    }
    // Anything else is thrown after the signature passed, while reading the body (not JSON, a thin event).
    return { ok: false, reason: "malformed" };
  }
  try {
    return { ok: true, event: paymentEventFromStripe(event) };
  } catch (error) {
    if (error instanceof MalformedPaymentEventError) return { ok: false, reason: "malformed" };
    throw error;
  }
}

// The SDK reports a stale timestamp and a wrong signature with the same error class; checking again
// with the timestamp check off (tolerance 0) tells them apart without reading its message text.
function isOnlyStale(rawBody: string | Uint8Array, signatureHeader: string, secret: string): boolean {
  try {
    return Stripe.webhooks.signature?.verifyHeader(rawBody, signatureHeader, secret, 0) === true;
  } catch {
    return false;
  }
}
