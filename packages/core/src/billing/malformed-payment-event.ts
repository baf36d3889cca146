/**
 * A verified payment webhook whose body is not what the provider documents: nothing in it can be
 * trusted, so the webhook answers 400 (the provider retries and the delivery shows up in its
 * dashboard) instead of storing a guess.
 */
export class MalformedPaymentEventError extends Error {
  override readonly name = "MalformedPaymentEventError";
}
