import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyLemonSqueezySignature } from "../../src/billing/lemonsqueezy-signature.ts";

const SECRET = "lemon-signing-secret";
const body = new TextEncoder().encode('{"meta":{"event_name":"order_created"},"data":{"id":"1"}}');
const sign = (bytes: Uint8Array, secret = SECRET) => createHmac("sha256", secret).update(bytes).digest("hex");

describe("verifyLemonSqueezySignature", () => {
  it("accepts the hex HMAC-SHA256 of the raw body, in either case and with surrounding spaces", () => {
    expect(verifyLemonSqueezySignature(body, sign(body), SECRET)).toBe(true);
    expect(verifyLemonSqueezySignature(body, ` ${sign(body).toUpperCase()} `, SECRET)).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    expect(verifyLemonSqueezySignature(body, sign(body, "other-secret"), SECRET)).toBe(false);
  });

  it("rejects a tampered body", () => {
    const tampered = new TextEncoder().encode('{"meta":{"event_name":"order_created"},"data":{"id":"2"}}');
    expect(verifyLemonSqueezySignature(tampered, sign(body), SECRET)).toBe(false);
  });

  it("rejects a missing or empty header", () => {
    expect(verifyLemonSqueezySignature(body, null, SECRET)).toBe(false);
    expect(verifyLemonSqueezySignature(body, undefined, SECRET)).toBe(false);
    expect(verifyLemonSqueezySignature(body, "", SECRET)).toBe(false);
  });

  it("rejects a signature of the wrong length or with non-hex digits instead of throwing", () => {
    const good = sign(body);
    expect(verifyLemonSqueezySignature(body, good.slice(0, 62), SECRET)).toBe(false);
    expect(verifyLemonSqueezySignature(body, `${good}00`, SECRET)).toBe(false);
    expect(verifyLemonSqueezySignature(body, `${good.slice(0, 63)}g`, SECRET)).toBe(false);
    expect(verifyLemonSqueezySignature(body, `sha256=${good}`, SECRET)).toBe(false);
  });

  it("rejects everything when the secret is empty, even a signature made with the empty secret", () => {
    expect(verifyLemonSqueezySignature(body, sign(body, ""), "")).toBe(false);
  });
});
