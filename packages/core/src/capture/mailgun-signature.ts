import { createHmac, timingSafeEqual } from "node:crypto";

export interface MailgunSignatureFields {
  timestamp: string;
  token: string;
  signature: string;
}

/**
 * How old a Mailgun signature may be. An inbound-route POST answered with anything but 200 or 406
 * is retried "for 8 hours" at 10 min, 15 min, 30 min, 1 h, 2 h and 4 h (7 h 55 min after the first
 * attempt: documentation.mailgun.com, user-manual/receive-forward-store/receive-http), and a retry
 * carries the first attempt's timestamp, token and signature (Mailgun's docs do not say so; Hookdeck's
 * Mailgun reference and public reports do). Nine hours lets the last retry through with an hour to
 * spare for queueing and clock drift. The token cache (docs/decisions/0016), not this window, is
 * what stops a replay.
 */
export const MAILGUN_SIGNATURE_MAX_AGE_SECONDS = 9 * 60 * 60;

/** A timestamp ahead of our clock is only ever clock drift: a few minutes, never hours. */
export const MAILGUN_CLOCK_SKEW_SECONDS = 5 * 60;

// Mailgun's tokens are 50 characters; anything far longer is not theirs and would bloat the token cache.
const MAX_TOKEN_LENGTH = 256;

export type MailgunSignatureCheck =
  | {
      ok: true;
      /** The signed timestamp. */
      signedAt: Date;
      /** When this signature stops being accepted: its token must be remembered until then. */
      expiresAt: Date;
    }
  | { ok: false; reason: "bad_signature" | "stale" | "malformed" };

/**
 * Mailgun signs every POST with HMAC-SHA256 (hex) of timestamp + token under the webhook signing
 * key. The signature does not cover the body: within the window a copy verifies with any body, so
 * callers must also refuse a token they have already used (docs/decisions/0016).
 */
export function verifyMailgunSignature(
  fields: MailgunSignatureFields,
  signingKey: string,
  now: Date,
  maxAgeSeconds = MAILGUN_SIGNATURE_MAX_AGE_SECONDS,
): MailgunSignatureCheck {
  const { timestamp, token, signature } = fields;
  if (!/^\d{1,12}$/.test(timestamp) || token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[0-9a-f]{64}$/i.test(signature)) {
    return { ok: false, reason: "malformed" };
  }
  if (signingKey.length === 0) return { ok: false, reason: "bad_signature" };

  const expected = createHmac("sha256", signingKey).update(timestamp + token).digest();
  if (!timingSafeEqual(Buffer.from(signature, "hex"), expected)) return { ok: false, reason: "bad_signature" };

  // Checked after the signature, so "stale" only ever describes a genuine but replayed request.
  const signedSeconds = Number(timestamp);
  const ageSeconds = now.getTime() / 1000 - signedSeconds;
  if (ageSeconds > maxAgeSeconds || ageSeconds < -MAILGUN_CLOCK_SKEW_SECONDS) return { ok: false, reason: "stale" };
  return { ok: true, signedAt: new Date(signedSeconds * 1000), expiresAt: new Date((signedSeconds + maxAgeSeconds) * 1000) };
}
