import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyMailgunSignature } from "../../src/capture/mailgun-signature.ts";

const KEY = "key-mailgun-signing-for-tests";
const NOW = new Date("2026-01-05T10:00:00.000Z");
const NOW_SECONDS = NOW.getTime() / 1000;
const TOKEN = "9f1c2a7e4b8d6035f2a1c9e7b4d8062f5a3c1e9b7d4f8026a1";

function signed(timestamp: number | string, token = TOKEN, key = KEY) {
  const stamp = String(timestamp);
  return { timestamp: stamp, token, signature: createHmac("sha256", key).update(stamp + token).digest("hex") };
}

describe("verifyMailgunSignature", () => {
  it("accepts a fresh signature made with the signing key", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 20), KEY, NOW)).toEqual({ ok: true });
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

  it("rejects a genuine signature older than the allowed age", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 300), KEY, NOW)).toEqual({ ok: true });
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 301), KEY, NOW)).toEqual({ ok: false, reason: "stale" });
    expect(verifyMailgunSignature(signed(NOW_SECONDS - 3600), KEY, NOW, 7200)).toEqual({ ok: true });
  });

  it("rejects a timestamp too far in the future", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS + 301), KEY, NOW)).toEqual({ ok: false, reason: "stale" });
  });

  it.each([
    ["a non-numeric timestamp", { ...signed(NOW_SECONDS), timestamp: "yesterday" }],
    ["an empty token", { ...signed(NOW_SECONDS), token: "" }],
    ["a signature that is not hex", { ...signed(NOW_SECONDS), signature: "g".repeat(64) }],
    ["a truncated signature", { ...signed(NOW_SECONDS), signature: signed(NOW_SECONDS).signature.slice(0, 63) }],
  ])("calls %s malformed", (_name, fields) => {
    expect(verifyMailgunSignature(fields, KEY, NOW)).toEqual({ ok: false, reason: "malformed" });
  });

  it("accepts nothing while the signing key is empty", () => {
    expect(verifyMailgunSignature(signed(NOW_SECONDS, TOKEN, ""), "", NOW)).toEqual({ ok: false, reason: "bad_signature" });
  });
});
