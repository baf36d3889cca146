import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSmtpServer, type FakeSmtpServer } from "../src/email/fake-smtp-server.ts";
import { verifySmtpCredentials } from "../src/email/smtp-verify.ts";

const USER = { user: "owner@acme.test", password: "correct horse battery staple" };

let smtp: FakeSmtpServer;

beforeAll(async () => {
  smtp = await startFakeSmtpServer({ users: [USER] });
});

afterAll(async () => {
  await smtp?.close();
});

const settings = (overrides: Partial<{ port: number; secure: boolean; user: string; password: string }> = {}) => ({
  host: smtp.host,
  port: smtp.port,
  secure: false,
  ...USER,
  ...overrides,
});

describe("verifySmtpCredentials (a real SMTP handshake)", () => {
  it("accepts the right user and password", async () => {
    expect(await verifySmtpCredentials(settings())).toEqual({ ok: true });
  });

  it("reports a wrong password as rejected credentials, without the password", async () => {
    const check = await verifySmtpCredentials(settings({ password: "wrong-password-123" }));
    expect(check.ok).toBe(false);
    const reason = check.ok ? "" : check.reason;
    expect(reason).toMatch(/rejected the user name or password/);
    expect(reason).not.toContain("wrong-password-123");
  });

  it("reports a port nobody listens on as a connection problem", async () => {
    const closed = await startFakeSmtpServer();
    await closed.close();
    const check = await verifySmtpCredentials(settings({ port: closed.port }));
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/Could not connect/) });
  });

  it("refuses hosts inside private networks when asked to, before connecting", async () => {
    for (const host of ["127.0.0.1", "localhost", "[::1]", "10.1.2.3"]) {
      const check = await verifySmtpCredentials({ ...settings(), host }, { blockPrivateNetworks: true });
      expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/not reachable from the internet/) });
    }
    expect(await verifySmtpCredentials(settings(), { blockPrivateNetworks: false })).toEqual({ ok: true });
  });

  it("reports implicit TLS against a plain-text server as a TLS problem", async () => {
    const check = await verifySmtpCredentials(settings({ secure: true }), { timeoutMs: 3_000 });
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/TLS/) });
  });
});

describe("the fake SMTP server", () => {
  const transport = () =>
    createTransport({ host: smtp.host, port: smtp.port, secure: false, auth: { user: USER.user, pass: USER.password } });

  it("keeps each accepted message with its envelope, threading and unsubscribe header", async () => {
    const mailer = transport();
    await mailer.sendMail({
      from: "Acme <owner@acme.test>",
      to: "maya@example.com",
      subject: "Re: your order",
      text: "Hi Maya, it ships today.",
      html: "<p>Hi Maya, it ships today.</p>",
      inReplyTo: "<lead-1@example.com>",
      references: ["<lead-0@example.com>", "<lead-1@example.com>"],
      headers: { "List-Unsubscribe": "<https://app.audnix.test/u/abc>" },
    });
    mailer.close();
    const message = smtp.messages.at(-1);
    expect(message?.envelope).toEqual({ mailFrom: "owner@acme.test", rcptTo: ["maya@example.com"], user: USER.user });
    expect(message?.parsed).toMatchObject({
      subject: "Re: your order",
      text: "Hi Maya, it ships today.",
      html: "<p>Hi Maya, it ships today.</p>",
      inReplyTo: "<lead-1@example.com>",
      references: ["<lead-0@example.com>", "<lead-1@example.com>"],
      listUnsubscribe: "<https://app.audnix.test/u/abc>",
    });
    expect(message?.parsed.messageId).toMatch(/^<.+@.+>$/);
    expect(message?.raw).toContain("Subject: Re: your order");
  });

  it("refuses to relay without AUTH", async () => {
    const mailer = createTransport({ host: smtp.host, port: smtp.port, secure: false });
    const before = smtp.messages.length;
    await expect(mailer.sendMail({ from: "x@acme.test", to: "y@example.com", text: "hi" })).rejects.toMatchObject({ responseCode: 530 });
    mailer.close();
    expect(smtp.messages).toHaveLength(before);
  });

  it("answers scripted rejections with their reply code and keeps nothing", async () => {
    smtp.rejectNext({ code: 451, message: "4.3.0 Try again later" });
    const mailer = transport();
    const before = smtp.messages.length;
    await expect(mailer.sendMail({ from: "owner@acme.test", to: "y@example.com", text: "hi" })).rejects.toMatchObject({ responseCode: 451 });
    await mailer.sendMail({ from: "owner@acme.test", to: "y@example.com", text: "second try" });
    mailer.close();
    expect(smtp.messages.slice(before).map((message) => message.parsed.text?.trim())).toEqual(["second try"]);
  });
});
