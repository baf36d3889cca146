/**
 * The delivery as a whole is not what the platform documents (wrong object, no entry list, no MIME):
 * nothing in it can be trusted, so the webhook answers 400 instead of recording part of it.
 */
export class MalformedDeliveryError extends Error {
  override readonly name = "MalformedDeliveryError";
}
