import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's X-Hub-Signature-256 (Instagram and WhatsApp): HMAC-SHA256 of the raw request bytes
 * with the app secret. Run it before parsing: a re-serialized body would not match.
 */
export function verifyMetaSignature(rawBody: Uint8Array, header: string | null | undefined, appSecret: string): boolean {
  // An empty secret is a configuration error; accepting it would let anyone sign.
  if (appSecret.length === 0 || !header) return false;
  const match = SIGNATURE_HEADER.exec(header.trim());
  if (!match?.[1]) return false;
  const received = Buffer.from(match[1], "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

export type MetaHandshake = { ok: true; challenge: string } | { ok: false };

/** The GET Meta sends when a webhook is subscribed: echo hub.challenge if the verify token is ours. */
export function verifyMetaHandshake(params: URLSearchParams, verifyToken: string): MetaHandshake {
  const mode = params.get("hub.mode");
  const token = params.get("hub.verify_token");
  const challenge = params.get("hub.challenge");
  if (mode !== "subscribe" || token === null || !challenge || verifyToken.length === 0) return { ok: false };
  return constantTimeEqual(token, verifyToken) ? { ok: true, challenge } : { ok: false };
}

// Hashing first gives equal-length inputs, so the comparison time reveals neither content nor length.
function constantTimeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}
