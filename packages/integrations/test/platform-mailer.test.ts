import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeSmtpInbox } from "../src/email/fake-smtp-inbox.ts";
import { startFakeSmtpServer, type FakeSmtpServer } from "../src/email/fake-smtp-server.ts";
import { createSmtpPlatformMailer } from "../src/email/platform-mailer.ts";
import { recordTestSecret } from "../src/testing/index.ts";

const PLATFORM = { user: "mailer@audnix.example", password: "platform-smtp-password-never-logged" };
recordTestSecret(PLATFORM.password);

const summary = {
  to: "owner@sunnyyoga.example",
  subject: "Your week at Sunny Yoga: 12 new leads",
  text: "Hi,\n\n12 new leads wrote to you this week.",
  html: "<p>12 new leads wrote to you this week.</p>",
  idempotencyKey: "summary:user-1:2026-11-30",
};

let fake: FakeSmtpServer;
beforeEach(async () => {
  fake = await startFakeSmtpServer({ users: [PLATFORM] });
});
afterEach(async () => {
  await fake.close();
});

function mailer(options: { password?: string; timeoutMs?: number } = {}) {
  return createSmtpPlatformMailer({
    smtp: { host: fake.host, port: fake.port, secure: false, user: PLATFORM.user, password: options.password ?? PLATFORM.password },
    from: { address: "summaries@audnix.example", name: "Audnix" },
    timeoutMs: options.timeoutMs ?? 5_000,
  });
}

describe("createSmtpPlatformMailer", () => {
  it("sends the owner an automated email from the platform's sender, with text and HTML", async () => {
    const outcome = await mailer().send(summary);

    expect(fake.messages).toHaveLength(1);
    const mail = fake.messages[0]!;
    expect(outcome).toEqual({ status: "sent", messageId: mail.parsed.messageId?.replace(/^<|>$/g, "") });
    expect(mail.envelope).toMatchObject({ mailFrom: "summaries@audnix.example", rcptTo: ["owner@sunnyyoga.example"], user: PLATFORM.user });
    expect(mail.parsed.subject).toBe(summary.subject);
    expect(mail.parsed.text).toContain("12 new leads wrote to you this week.");
    expect(mail.parsed.html).toContain("<p>12 new leads wrote to you this week.</p>");
    expect(mail.raw).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
    expect(mail.raw).toMatch(/^From: "?Audnix"? <summaries@audnix\.example>\r?$/m);
  });

  it("gives a retried send the same Message-ID, so the owner's mail client shows one email", async () => {
    const first = await mailer().send(summary);
    const again = await mailer().send(summary);
    const otherWeek = await mailer().send({ ...summary, idempotencyKey: "summary:user-1:2026-12-07" });
    expect(again).toEqual(first);
    expect(otherWeek).not.toEqual(first);
  });

  it("keeps the email for a retry when the login is refused (the operator fixes PLATFORM_SMTP_URL), without the password", async () => {
    const outcome = await mailer({ password: "wrong-password" }).send(summary);
    expect(outcome).toEqual({ status: "retry", reason: "the platform SMTP server refused the login or TLS handshake; check PLATFORM_SMTP_URL" });
    expect(JSON.stringify(outcome)).not.toContain(PLATFORM.password);
    expect(fake.messages).toHaveLength(0);
  });

  it("retries a 4xx, gives up on a 5xx, and calls a late confirmation unconfirmed (never resent)", async () => {
    fake.rejectNext({ code: 451, message: "4.3.0 Try again later" });
    expect(await mailer().send(summary)).toEqual({ status: "retry", reason: "the SMTP server deferred the message (451)" });
    fake.rejectNext({ code: 550, message: "5.1.1 Mailbox unavailable" });
    expect(await mailer().send(summary)).toEqual({ status: "permanent", reason: "the SMTP server refused the message (550)" });
    fake.answerDataAfter(2_000);
    expect(await mailer({ timeoutMs: 300 }).send(summary)).toMatchObject({ status: "unconfirmed" });
    expect(fake.messages).toHaveLength(1);
  });
});

describe("startFakeSmtpInbox", () => {
  it("shows what the fake SMTP server received, newest first, as a page and as JSON", async () => {
    const inbox = await startFakeSmtpInbox(fake);
    try {
      expect(await (await fetch(`${inbox.url}/`)).text()).toContain("No email yet.");
      await mailer().send(summary);
      await mailer().send({ ...summary, subject: "Second <email>", idempotencyKey: "k2" });

      const page = await fetch(`${inbox.url}/`);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const html = await page.text();
      expect(html).toContain("Second &#60;email&#62;");
      expect(html.indexOf("Second &#60;email&#62;")).toBeLessThan(html.indexOf(summary.subject));
      expect(html).toContain("12 new leads wrote to you this week.");

      const json = (await (await fetch(`${inbox.url}/messages.json`)).json()) as Array<{ subject: string; to: string[] }>;
      expect(json.map((message) => message.subject)).toEqual(["Second <email>", summary.subject]);
      expect(json[0]?.to).toEqual(["owner@sunnyyoga.example"]);
      expect((await fetch(`${inbox.url}/nothing-here`)).status).toBe(404);
    } finally {
      await inbox.close();
    }
  });
});
