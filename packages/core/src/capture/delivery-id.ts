import { createHash } from "node:crypto";

/**
 * Platforms redeliver the same bytes when they retry, so a hash of the raw body recognizes a
 * redelivery without trusting any id inside the payload.
 */
export function deliveryIdOf(rawBody: Uint8Array): string {
  return createHash("sha256").update(rawBody).digest("hex");
}
