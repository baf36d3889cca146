import { buildMailgunInboundFields } from "@audnix/integrations";
import { describe, expect, it } from "vitest";
import { peekMailgunSignature } from "../../app/webhooks/mailgun-form-signature.server.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");
const fields = buildMailgunInboundFields({ from: "ana@example.com", to: "acme-aaaaaaaaaaaaaaaa@inbound.audnix.local", subject: "Hi", text: "Hello" }, "key", NOW);
const trio = { timestamp: fields.timestamp, token: fields.token, signature: fields.signature };

async function multipart(entries: [string, string][]) {
  const form = new FormData();
  for (const [name, value] of entries) form.append(name, value);
  const encoded = new Response(form);
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("Content-Type") ?? "" };
}

function urlEncoded(entries: [string, string][]) {
  return { bytes: new TextEncoder().encode(new URLSearchParams(entries).toString()), contentType: "application/x-www-form-urlencoded" };
}

describe("peekMailgunSignature", () => {
  for (const [encoding, encode] of [
    ["multipart", multipart],
    ["urlencoded", urlEncoded],
  ] as const) {
    it(`finds the signature fields of a ${encoding} form wherever they are`, async () => {
      const shuffled: [string, string][] = Object.entries(fields).reverse();
      const { bytes, contentType } = await encode(shuffled);
      expect(peekMailgunSignature(bytes, contentType)).toEqual(trio);
    });

    it(`refuses a ${encoding} form with a signature field twice or missing`, async () => {
      const twice = await encode([...Object.entries(fields), ["token", "another-token"]]);
      expect(peekMailgunSignature(twice.bytes, twice.contentType)).toBeNull();
      const { token: _token, ...rest } = fields;
      const missing = await encode(Object.entries(rest));
      expect(peekMailgunSignature(missing.bytes, missing.contentType)).toBeNull();
    });

    it(`is not fooled by field-like text inside another ${encoding} value`, async () => {
      const { token: _token, ...rest } = fields;
      const disguised = `\r\nContent-Disposition: form-data; name="token"\r\n\r\n${trio.token}\r\n&token=${trio.token}&`;
      const { bytes, contentType } = await encode([...Object.entries(rest), ["body-mime", disguised]]);
      expect(peekMailgunSignature(bytes, contentType)).toBeNull();
    });
  }

  it("refuses a multipart body without its boundary", async () => {
    const { bytes } = await multipart(Object.entries(fields));
    expect(peekMailgunSignature(bytes, "multipart/form-data")).toBeNull();
    expect(peekMailgunSignature(bytes, "multipart/form-data; boundary=not-the-boundary")).toBeNull();
  });
});
