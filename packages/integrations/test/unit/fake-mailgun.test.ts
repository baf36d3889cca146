import { verifyMailgunSignature } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { buildMailgunInboundFields, replayMailgunSignature } from "../../src/email/fake-mailgun.ts";
import { MAILGUN_MIME_ROUTE_EXAMPLE, MAILGUN_MIME_ROUTE_FIELD_NAMES } from "../../src/email/mailgun-route-fields.fixture.ts";

const SIGNING_KEY = "mailgun-webhook-signing-key";
const NOW = new Date("2026-01-05T10:00:00.000Z");
const mail = { from: "ana@example.com", to: "acme-abcdefghijklmnop@inbound.audnix.local", subject: "Hi", text: "Hello" };
const trio = (fields: Record<string, string>) => ({ timestamp: fields.timestamp ?? "", token: fields.token ?? "", signature: fields.signature ?? "" });

describe("the Mailgun fake", () => {
  it("posts exactly the fields Mailgun documents for a mime route, in their shape", () => {
    const fields = buildMailgunInboundFields(mail, SIGNING_KEY, NOW);
    expect(Object.keys(fields).sort()).toEqual([...MAILGUN_MIME_ROUTE_FIELD_NAMES].sort());
    for (const name of ["timestamp", "token", "signature"] as const) {
      expect(fields[name]?.length).toBe(MAILGUN_MIME_ROUTE_EXAMPLE[name].length);
    }
  });

  it("signs with a given token and timestamp, as a retry of an earlier attempt would", () => {
    const firstAttempt = new Date(NOW.getTime() - 2 * 3600_000);
    const fields = buildMailgunInboundFields(mail, SIGNING_KEY, NOW, { token: MAILGUN_MIME_ROUTE_EXAMPLE.token, signedAt: firstAttempt });
    expect(fields.token).toBe(MAILGUN_MIME_ROUTE_EXAMPLE.token);
    expect(fields.timestamp).toBe(String(firstAttempt.getTime() / 1000));
    expect(verifyMailgunSignature(trio(fields), SIGNING_KEY, NOW).ok).toBe(true);
  });

  it("replays one delivery's signature over another body, which still verifies (the signature does not cover the body)", () => {
    const captured = buildMailgunInboundFields(mail, SIGNING_KEY, NOW);
    const forged = replayMailgunSignature(captured, { ...captured, "body-mime": "From: mallory@example.com\r\n\r\nForged" });
    expect(trio(forged)).toEqual(trio(captured));
    expect(verifyMailgunSignature(trio(forged), SIGNING_KEY, NOW).ok).toBe(true);
  });
});
