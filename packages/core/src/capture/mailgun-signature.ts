import { createHmac, timingSafeEqual } from "node:crypto";

export interface MailgunSignatureFields {
  timestamp: string;
  token: string;
  signature: string;
}

export type MailgunSignatureCheck = { ok: true } | { ok: false; reason: "bad_signature" | "stale" | "malformed" };

/**
 * Mailgun signs every POST with HMAC-SHA256 (hex) of timestamp + token under the webhook signing
 * key. Callers should also remember recently seen tokens: within the window a copy still verifies.
 */
export function verifyMailgunSignature(
  fields: MailgunSignatureFields,
  signingKey: string,
  now: Date,
  maxAgeSeconds = 300,
): MailgunSignatureCheck {
  const { timestamp, token, signature } = fields;
  if (!/^\d{1,12}$/.test(timestamp) || token.length === 0 || !/^[0-9a-f]{64}$/i.test(signature)) {
    return { ok: false, reason: "malformed" };
  }
  if (signingKey.length === 0) return { ok: false, reason: "bad_signature" };

  const expected = createHmac("sha256", signingKey).update(timestamp + token).digest();
  if (!timingSafeEqual(Buffer.from(signature, "hex"), expected)) return { ok: false, reason: "bad_signature" };

  // Checked after the signature, so "stale" only ever describes a genuine but replayed request.
  const ageSeconds = now.getTime() / 1000 - Number(timestamp);
  if (Math.abs(ageSeconds) > maxAgeSeconds) return { ok: false, reason: "stale" };
  return { ok: true };
}
