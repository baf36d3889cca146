import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyMetaHandshake, verifyMetaSignature } from "../../src/capture/meta-signature.ts";

const SECRET = "app-secret-for-tests";
const BODY = new TextEncoder().encode('{"object":"instagram","entry":[{"id":"17841400000000001","time":1767607200000,"messaging":[]}]}');
const sign = (body: Uint8Array, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

describe("verifyMetaSignature", () => {
  it("accepts the HMAC-SHA256 of the raw bytes under the app secret", () => {
    expect(verifyMetaSignature(BODY, sign(BODY), SECRET)).toBe(true);
  });

  it("accepts upper-case hex and surrounding whitespace", () => {
    expect(verifyMetaSignature(BODY, ` ${sign(BODY).toUpperCase().replace("SHA256=", "sha256=")} `, SECRET)).toBe(true);
  });

  it("rejects a signature made with another secret", () => {
    expect(verifyMetaSignature(BODY, sign(BODY, "someone-else"), SECRET)).toBe(false);
  });

  it("rejects a body changed after signing, even by one byte or by re-serializing", () => {
    const tampered = BODY.slice();
    tampered[tampered.length - 3] = "1".charCodeAt(0);
    expect(verifyMetaSignature(tampered, sign(BODY), SECRET)).toBe(false);
    const reformatted = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(BODY)), null, 2));
    expect(verifyMetaSignature(reformatted, sign(BODY), SECRET)).toBe(false);
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
    ["without the sha256= prefix", createHmac("sha256", SECRET).update(BODY).digest("hex")],
    ["the old sha1 scheme", `sha1=${createHmac("sha1", SECRET).update(BODY).digest("hex")}`],
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["too short", sign(BODY).slice(0, -2)],
    ["too long", `${sign(BODY)}00`],
  ])("rejects a header that is %s", (_name, header) => {
    expect(verifyMetaSignature(BODY, header, SECRET)).toBe(false);
  });

  it("rejects everything when the app secret is empty", () => {
    expect(verifyMetaSignature(BODY, sign(BODY, ""), "")).toBe(false);
  });
});

describe("verifyMetaHandshake", () => {
  const params = (fields: Record<string, string>) => new URLSearchParams(fields);

  it("echoes the challenge for a subscribe request with our verify token", () => {
    const result = verifyMetaHandshake(
      params({ "hub.mode": "subscribe", "hub.verify_token": "our-token", "hub.challenge": "1158201444" }),
      "our-token",
    );
    expect(result).toEqual({ ok: true, challenge: "1158201444" });
  });

  it.each([
    ["a wrong token", { "hub.mode": "subscribe", "hub.verify_token": "their-token", "hub.challenge": "42" }],
    ["a token that is a prefix of ours", { "hub.mode": "subscribe", "hub.verify_token": "our-tok", "hub.challenge": "42" }],
    ["no token", { "hub.mode": "subscribe", "hub.challenge": "42" }],
    ["another mode", { "hub.mode": "unsubscribe", "hub.verify_token": "our-token", "hub.challenge": "42" }],
    ["no challenge", { "hub.mode": "subscribe", "hub.verify_token": "our-token" }],
  ])("refuses %s", (_name, fields) => {
    expect(verifyMetaHandshake(params(fields), "our-token")).toEqual({ ok: false });
  });

  it("refuses every request while no verify token is configured", () => {
    expect(verifyMetaHandshake(params({ "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "42" }), "")).toEqual({
      ok: false,
    });
  });
});
