import { MalformedDeliveryError, verifyMailgunSignature, type InboundMessageEvent } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { buildMailgunInboundFields } from "../../src/email/fake-mailgun.ts";
import { parseMailgunInbound } from "../../src/email/mailgun-inbound.ts";

const SIGNING_KEY = "mailgun-webhook-signing-key";
const NOW = new Date("2026-01-05T10:00:00.000Z");
const LATER = new Date("2026-01-05T10:00:30.000Z");

const reply = {
  from: "Ana.Souza@Example.com",
  fromName: "Ana Souza",
  to: "Hello@Inbound.StudioBloom.com",
  subject: "Re: Your question about classes",
  text: "Yes, Friday works for me.\n\nSee you then!",
};

async function onlyEvent(fields: Record<string, string>) {
  const parsed = await parseMailgunInbound(fields, LATER);
  expect(parsed.channel).toBe("email");
  expect(parsed.rejected).toEqual([]);
  expect(parsed.groups).toHaveLength(1);
  expect(parsed.groups[0]?.events).toHaveLength(1);
  return parsed.groups[0]?.events[0];
}

describe("buildMailgunInboundFields", () => {
  it("posts the fields of a mime route with a valid signature", () => {
    const fields = buildMailgunInboundFields(reply, SIGNING_KEY, NOW);
    expect(Object.keys(fields).sort()).toEqual(["body-mime", "from", "recipient", "sender", "signature", "subject", "timestamp", "token"]);
    expect(fields.token).toHaveLength(50);
    expect(fields["body-mime"]).toMatch(/^From: "Ana Souza" <Ana\.Souza@Example\.com>\r\n/);
    expect(fields["body-mime"]).toContain("\r\nContent-Type: multipart/alternative;");
    expect(verifyMailgunSignature(fields as { timestamp: string; token: string; signature: string }, SIGNING_KEY, NOW).ok).toBe(true);
    expect(verifyMailgunSignature(fields as { timestamp: string; token: string; signature: string }, "other-key", NOW)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});

describe("parseMailgunInbound", () => {
  it("turns a plain reply into a message from the lead to the inbound address", async () => {
    const fields = buildMailgunInboundFields({ ...reply, messageId: "CAF=abc123@mail.gmail.com" }, SIGNING_KEY, NOW);
    const parsed = await parseMailgunInbound(fields, LATER);
    expect(parsed.groups[0]?.accountId).toBe("hello@inbound.studiobloom.com");
    expect(parsed.groups[0]?.events).toEqual([
      {
        kind: "message",
        accountId: "hello@inbound.studiobloom.com",
        providerMessageId: "CAF=abc123@mail.gmail.com",
        sender: { externalId: "ana.souza@example.com", name: "Ana Souza", email: "ana.souza@example.com", phone: null },
        text: "Yes, Friday works for me.\n\nSee you then!",
        attachments: [],
        sentAt: NOW,
        thread: { subject: "Re: Your question about classes", references: [] },
        optOut: false,
      },
    ]);
  });

  it("keeps the posted fields, without the signature, as the raw entry", async () => {
    const fields = buildMailgunInboundFields(reply, SIGNING_KEY, NOW);
    const parsed = await parseMailgunInbound(fields, LATER);
    const raw = parsed.groups[0]?.rawEntries[0] as Record<string, string>;
    expect(raw["body-mime"]).toBe(fields["body-mime"]);
    expect(Object.keys(raw)).not.toEqual(expect.arrayContaining(["signature"]));
    expect(raw).not.toHaveProperty("token");
    expect(raw).not.toHaveProperty("timestamp");
  });

  it("strips the quoted history before the text reaches the model", async () => {
    const event = (await onlyEvent(
      buildMailgunInboundFields(
        { ...reply, text: "Yes, Friday works.", quotedHistory: "Hi Ana,\n\nWould Friday at 6pm suit you?\n\nStudio Bloom" },
        SIGNING_KEY,
        NOW,
      ),
    )) as InboundMessageEvent;
    expect(event.kind).toBe("message");
    expect(event.text).toBe("Yes, Friday works.");
  });

  it("collects References and In-Reply-To, oldest first and without duplicates", async () => {
    const event = (await onlyEvent(
      buildMailgunInboundFields(
        { ...reply, inReplyTo: "msg-2@studiobloom.com", references: ["msg-1@studiobloom.com", "msg-2@studiobloom.com"] },
        SIGNING_KEY,
        NOW,
      ),
    )) as InboundMessageEvent;
    expect(event.thread).toEqual({ subject: reply.subject, references: ["msg-1@studiobloom.com", "msg-2@studiobloom.com"] });
  });

  it("lists attachments by name and type, without content or URL", async () => {
    const event = (await onlyEvent(
      buildMailgunInboundFields(
        {
          ...reply,
          text: "Here is my brief.",
          attachments: [
            { fileName: "brief.pdf", mimeType: "application/pdf", content: new Uint8Array([37, 80, 68, 70, 45, 49, 46, 55]) },
            { fileName: "Ideen für März.txt", mimeType: "text/plain", content: "Ideen" },
          ],
        },
        SIGNING_KEY,
        NOW,
      ),
    )) as InboundMessageEvent;
    expect(event.text).toBe("Here is my brief.");
    expect(event.attachments).toEqual([
      { type: "file", url: null, providerMediaId: null, mimeType: "application/pdf", fileName: "brief.pdf" },
      { type: "file", url: null, providerMediaId: null, mimeType: "text/plain", fileName: "Ideen für März.txt" },
    ]);
  });

  it("leaves out images embedded in the HTML, such as a signature logo", async () => {
    const logo = Buffer.from("fake-png-bytes").toString("base64");
    const mime = [
      "From: Tom Becker <tom@example.org>",
      "To: hello@inbound.studiobloom.com",
      "Subject: Quote",
      "Message-ID: <with-logo@example.org>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="mixed"',
      "",
      "--mixed",
      'Content-Type: multipart/related; boundary="related"',
      "",
      "--related",
      "Content-Type: text/html; charset=UTF-8",
      "",
      '<p>Quote attached.</p><img src="cid:logo@example.org">',
      "--related",
      "Content-Type: image/png",
      "Content-ID: <logo@example.org>",
      "Content-Disposition: inline; filename=\"logo.png\"",
      "Content-Transfer-Encoding: base64",
      "",
      logo,
      "--related--",
      "--mixed",
      "Content-Type: application/pdf",
      'Content-Disposition: attachment; filename="quote.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("%PDF-1.7").toString("base64"),
      "--mixed--",
      "",
    ].join("\r\n");
    const event = (await onlyEvent({ recipient: "hello@inbound.studiobloom.com", "body-mime": mime })) as InboundMessageEvent;
    expect(event.text).toBe("Quote attached.");
    expect(event.attachments).toEqual([{ type: "file", url: null, providerMediaId: null, mimeType: "application/pdf", fileName: "quote.pdf" }]);
  });

  it("decodes non-ASCII names and subjects", async () => {
    const event = (await onlyEvent(
      buildMailgunInboundFields({ ...reply, fromName: "José Müller-Ødegård", subject: "Re: Über den Kurs — Frühjahr 2026 🌸" }, SIGNING_KEY, NOW),
    )) as InboundMessageEvent;
    expect(event.sender.name).toBe("José Müller-Ødegård");
    expect(event.thread?.subject).toBe("Re: Über den Kurs — Frühjahr 2026 🌸");
  });

  it("derives a stable id from the MIME when there is no Message-ID", async () => {
    const fields = buildMailgunInboundFields(reply, SIGNING_KEY, NOW);
    const mime = (fields["body-mime"] ?? "").replace(/^Message-ID: .*\r\n/m, "");
    const first = (await onlyEvent({ ...fields, "body-mime": mime })) as InboundMessageEvent;
    const again = (await onlyEvent({ ...fields, "body-mime": mime })) as InboundMessageEvent;
    expect(first.providerMessageId).toMatch(/^[0-9a-f]{64}$/);
    expect(again.providerMessageId).toBe(first.providerMessageId);
  });

  it("reads the text of an HTML-only mail and takes now when the Date is missing", async () => {
    const mime = [
      "From: Tom Becker <tom@example.org>",
      "To: hello@inbound.studiobloom.com",
      "Subject: Prices",
      "Message-ID: <html-only@example.org>",
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=UTF-8",
      "",
      "<html><body><p>Please send the <b>price list</b>.</p><div class=\"gmail_quote\">On Mon, Jan 5, 2026 Studio Bloom wrote:<blockquote>Hi Tom</blockquote></div></body></html>",
    ].join("\r\n");
    const event = (await onlyEvent({ recipient: "hello@inbound.studiobloom.com", sender: "tom@example.org", "body-mime": mime })) as InboundMessageEvent;
    expect(event.text).toBe("Please send the price list.");
    expect(event.sentAt).toEqual(LATER);
  });

  it.each([
    ["Auto-Submitted: auto-replied", { "Auto-Submitted": "auto-replied" }, {}],
    ["Precedence: bulk", { Precedence: "bulk" }, {}],
    ["Precedence: auto_reply", { Precedence: "auto_reply" }, {}],
    ["a mailer-daemon sender", {}, { from: "MAILER-DAEMON@mx.example.com", fromName: "Mail Delivery System" }],
  ])("turns automatic mail (%s) into a notice, never a lead", async (_name, headers, sender) => {
    const fields = buildMailgunInboundFields(
      { ...reply, subject: "Out of office", text: "I am away until Monday.", headers, ...sender },
      SIGNING_KEY,
      NOW,
    );
    const event = await onlyEvent(fields);
    expect(event).toEqual({
      kind: "notice",
      accountId: "hello@inbound.studiobloom.com",
      notice: "unsupported",
      detail: expect.stringMatching(/^automatic email/),
    });
  });

  it("treats Auto-Submitted: no as a person writing", async () => {
    const event = await onlyEvent(buildMailgunInboundFields({ ...reply, headers: { "Auto-Submitted": "no" } }, SIGNING_KEY, NOW));
    expect(event?.kind).toBe("message");
  });

  it("throws MalformedDeliveryError without body-mime or recipient", async () => {
    const { "body-mime": _mime, ...withoutMime } = buildMailgunInboundFields(reply, SIGNING_KEY, NOW);
    await expect(parseMailgunInbound(withoutMime, LATER)).rejects.toThrow(MalformedDeliveryError);
    await expect(parseMailgunInbound({ ...withoutMime, "body-mime": "" }, LATER)).rejects.toThrow(MalformedDeliveryError);
    const { recipient: _recipient, ...withoutRecipient } = buildMailgunInboundFields(reply, SIGNING_KEY, NOW);
    await expect(parseMailgunInbound(withoutRecipient, LATER)).rejects.toThrow(MalformedDeliveryError);
  });

  it("throws MalformedDeliveryError for a body-mime that is not a mail", async () => {
    const fields = buildMailgunInboundFields(reply, SIGNING_KEY, NOW);
    await expect(parseMailgunInbound({ ...fields, "body-mime": "this is not a MIME message" }, LATER)).rejects.toThrow(MalformedDeliveryError);
    await expect(parseMailgunInbound({ ...fields, "body-mime": '{"json": true}' }, LATER)).rejects.toThrow(MalformedDeliveryError);
  });
});

describe("parseMailgunInbound and what Postgres can store", () => {
  it("marks a mail that asks us to stop, from its text without the quoted history", async () => {
    const stop = await parseMailgunInbound(buildMailgunInboundFields({ ...reply, text: "Please unsubscribe me." }, SIGNING_KEY, NOW), LATER);
    expect(stop.groups[0]?.events[0]).toMatchObject({ kind: "message", optOut: true });
  });

  it("names a mail whose sender cannot be an id instead of failing the delivery", async () => {
    const fields = buildMailgunInboundFields({ ...reply, from: `${"a".repeat(600)}@example.com` }, SIGNING_KEY, NOW);
    const parsed = await parseMailgunInbound(fields, LATER);
    expect(parsed.groups[0]?.events).toEqual([]);
    expect(parsed.rejected).toEqual([{ index: 0, reason: "sender.externalId: must be 1 to 512 characters" }]);
  });
});
