import { createHmac, timingSafeEqual } from "node:crypto";

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Checks Lemon Squeezy's X-Signature: the hex HMAC-SHA256 of the raw request bytes with the
 * webhook's signing secret. Run it before parsing: a re-serialized body would not match.
 */
export function verifyLemonSqueezySignature(rawBody: Uint8Array, header: string | null | undefined, secret: string): boolean {
  // An empty secret is a configuration error; accepting it would let anyone sign.
  if (secret.length === 0 || !header) return false;
  const value = header.trim();
  // timingSafeEqual throws on different lengths, and Buffer.from(…, "hex") silently drops bad digits.
  if (!HEX_SHA256.test(value)) return false;
  const received = Buffer.from(value, "hex");
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}
