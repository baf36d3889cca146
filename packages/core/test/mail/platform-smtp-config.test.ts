import { describe, expect, it } from "vitest";
import { parsePlatformSender, parsePlatformSmtpUrl } from "../../src/mail/platform-smtp-config.ts";

describe("parsePlatformSmtpUrl", () => {
  it("reads smtp:// as STARTTLS on 587 and smtps:// as TLS on 465 unless a port is given", () => {
    expect(parsePlatformSmtpUrl("smtp://mailer:pw@smtp.example.com")).toEqual({
      ok: true,
      value: { host: "smtp.example.com", port: 587, secure: false, user: "mailer", password: "pw" },
    });
    expect(parsePlatformSmtpUrl("smtps://mailer:pw@smtp.example.com")).toMatchObject({ ok: true, value: { port: 465, secure: true } });
    expect(parsePlatformSmtpUrl("smtp://mailer:pw@127.0.0.1:2525")).toMatchObject({ ok: true, value: { host: "127.0.0.1", port: 2525 } });
  });

  it("decodes a percent-encoded user and password", () => {
    expect(parsePlatformSmtpUrl("smtp://sandbox%40audnix.local:p%40ss%3Aword@[::1]:25")).toEqual({
      ok: true,
      value: { host: "::1", port: 25, secure: false, user: "sandbox@audnix.local", password: "p@ss:word" },
    });
  });

  it("refuses other schemes, a missing login and broken encoding, naming the problem only", () => {
    expect(parsePlatformSmtpUrl("https://mailer:pw@smtp.example.com")).toEqual({ ok: false, problem: "must be an smtp:// or smtps:// URL" });
    expect(parsePlatformSmtpUrl("not a url")).toEqual({ ok: false, problem: "must be an smtp:// or smtps:// URL" });
    expect(parsePlatformSmtpUrl("smtp://smtp.example.com:587")).toMatchObject({ ok: false, problem: expect.stringContaining("user and password") });
    expect(parsePlatformSmtpUrl("smtp://mailer:%E0%A4%A@smtp.example.com")).toMatchObject({ ok: false });
    expect(parsePlatformSmtpUrl(`smtp://mailer:${"x".repeat(5_000)}@smtp.example.com`)).toMatchObject({ ok: false });
  });
});

describe("parsePlatformSender", () => {
  it("reads a bare address or a display name with an address", () => {
    expect(parsePlatformSender("no-reply@audnix.example")).toEqual({ ok: true, value: { address: "no-reply@audnix.example" } });
    expect(parsePlatformSender(' "Audnix Summaries" <summaries@audnix.example> ')).toEqual({
      ok: true,
      value: { address: "summaries@audnix.example", name: "Audnix Summaries" },
    });
  });

  it("refuses text that is not an address", () => {
    for (const text of ["Audnix", "Audnix <>", "a <b@c.example> <d@e.example>", `${"<".repeat(1_000)}a@b.example`]) {
      expect(parsePlatformSender(text)).toEqual({ ok: false, problem: 'must be an email address or "Name <address>"' });
    }
  });
});
