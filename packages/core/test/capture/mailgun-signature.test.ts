import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  MAILGUN_CLOCK_SKEW_SECONDS,
  MAILGUN_SIGNATURE_MAX_AGE_SECONDS,
  verifyMailgunSignature,
} from "../../src/capture/mailgun-signature.ts";

const KEY = "key-mailgun-signing-for-tests";
const NOW = new Date("2026-01-05T10:00:00.000Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const TOKEN = "9f1c2a7e4b8d6035f2a1c9e7b4d8062f5a3c1e9b7d4f8026a1";

function signed(timestamp: number | string, token = TOKEN, key = KEY) {
  const stamp = String(timestamp);
  return { timestamp: stamp, token, signature: createHmac("sha256", key).update(stamp + token).digest("hex") };
}

describe("verifyMailgunSignature", () => {
  it("accepts a fresh signature made with the signing key, saying until when its token must be remembered", () => {
    const stamp = NOW_SECONDS - 20;
    expect(verifyMailgunSignature(signed(stamp), KEY, NOW)).toEqual({
      ok: true,
      signedAt: new Date(stamp * 1000),
      expiresAt: new Date((stamp + MAILGUN_SIGNATURE_MAX_AGE_SECONDS) * 1000),
    });
  });

  it("rejects a signature made with another key", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS, TOKEN, "other-key"), KEY, NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a signature moved to another token or timestamp", () => {
    const fields = signed(NOW_SECONDS);
    expect(verifyMailgunSignature({ ...fields, token: `${TOKEN.slice(1)}0` }, KEY, NOW)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyMailgunSignature({ ...fields, timestamp: String(NOW_SECONDS + 1) }, KEY, NOW)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("accepts Mailgun's retry of a delivery hours later with the original signature", () => {
    // Mailgun retries an inbound route for about 8 hours and resends the original timestamp/token/signature.
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 2 * 3600), KEY, NOW).ok).toBe(true);
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 8 * 3600), KEY, NOW).ok).toBe(true);
  });

  it("rejects a genuine signature older than the retry window", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS - MAILGUN_SIGNATURE_MAX_AGE_SECONDS), KEY, NOW).ok).toBe(true);
    expect(verifyMailgunSignature(signed(NOW_SECONDS - MAILGUN_SIGNATURE_MAX_AGE_SECONDS - 1), KEY, NOW)).toEqual({ ok: false, reason: "stale" });
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 3600), KEY, NOW, 600)).toEqual({ ok: false, reason: "stale" });
  });

  it("allows only clock skew into the future", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS + MAILGUN_CLOCK_SKEW_SECONDS), KEY, NOW).ok).toBe(true);
    expect(verifyMailgunSignature(signed(NOW_SECONDS + MAILGUN_CLOCK_SKEW_SECONDS + 1), KEY, NOW)).toEqual({ ok: false, reason: "stale" });
  });

  it.each([
    ["a non-numeric timestamp", { ...signed(NOW_SECONDS), timestamp: "yesterday" }],
    ["an empty token", { ...signed(NOW_SECONDS), token: "" }],
    ["a signature that is not hex", { ...signed(NOW_SECONDS), signature: "g".repeat(64) }],
    ["a truncated signature", { ...signed(NOW_SECONDS), signature: signed(NOW_SECONDS).signature.slice(0, 63) }],
    ["a token too long to be Mailgun's", signed(NOW_SECONDS, "t".repeat(257))],
  ])("calls %s malformed", (_name, fields) => {
    expect(verifyMailgunSignature(fields, KEY, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("accepts nothing while the signing key is empty", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS, TOKEN, ""), "", NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });
});
