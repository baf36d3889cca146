import type { OutboundMessage } from "@audnix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeSmtpServer, type FakeSmtpServer } from "../src/email/fake-smtp-server.ts";
import { classifySmtpError, createSmtpSender } from "../src/email/smtp-sender.ts";
import { recordTestSecret } from "../src/testing/index.ts";

const USER = { user: "hello@sunnyyoga.example", password: "smtp-password-never-logged" };
recordTestSecret(USER.password);
const UNSUBSCRIBE = "https://app.audnix.example/u/3f9c2b7e";

const message: OutboundMessage = {
  idempotencyKey: "lead-9:step-3",
  channel: "email",
  recipient: { externalId: "maya@example.com", name: "Maya Chen" },
  text: "Hi Maya,\n\nJust checking in: would Thursday at 7 work for a trial class?\nSee you soon!",
  email: {
    subject: "Re: Evening classes",
    inReplyTo: "CAF=lead-latest@mail.example.com",
    references: ["CAF=lead-first@mail.example.com", "ours-1@sunnyyoga.example"],
    unsubscribeUrl: UNSUBSCRIBE,
  },
};

let fake: FakeSmtpServer;
beforeEach(async () => {
  fake = await startFakeSmtpServer({ users: [USER] });
});
afterEach(async () => {
  await fake.close();
});

function sender(password = USER.password) {
  return createSmtpSender({
    smtp: { host: fake.host, port: fake.port, secure: false, user: USER.user, password },
    from: { address: USER.user, name: "Sunny Yoga" },
    timeoutMs: 5_000,
  });
}

describe("createSmtpSender", () => {
  it("sends a threaded email with the unsubscribe link in the body and one-click List-Unsubscribe headers", async () => {
    const outcome = await sender().send(message);

    expect(fake.messages).toHaveLength(1);
    const mail = fake.messages[0]!;
    expect(outcome).toEqual({ status: "sent", providerMessageId: mail.parsed.messageId?.replace(/^<|>$/g, "") });
    expect(mail.envelope).toMatchObject({ mailFrom: USER.user, rcptTo: ["maya@example.com"], user: USER.user });
    expect(mail.parsed.subject).toBe("Re: Evening classes");
    expect(mail.parsed.inReplyTo).toBe("<CAF=lead-latest@mail.example.com>");
    expect(mail.parsed.references).toEqual(["<CAF=lead-first@mail.example.com>", "<ours-1@sunnyyoga.example>", "<CAF=lead-latest@mail.example.com>"]);
    expect(mail.parsed.listUnsubscribe).toBe(`<${UNSUBSCRIBE}>`);
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(mail.parsed.text).toContain("would Thursday at 7 work for a trial class?");
    expect(mail.parsed.text).toContain(`Unsubscribe: ${UNSUBSCRIBE}`);
    expect(mail.parsed.html).toContain(`<a href="${UNSUBSCRIBE}">Unsubscribe</a>`);
    expect(mail.raw).toMatch(/^From: "?Sunny Yoga"? <hello@sunnyyoga\.example>\r?$/m);
  });

  it("gives a retried send the same Message-ID, and another step a different one", async () => {
    const first = await sender().send(message);
    const again = await sender().send(message);
    const next = await sender().send({ ...message, idempotencyKey: "lead-9:step-4" });

    expect(first).toEqual(again);
    const [firstId, againId, nextId] = fake.messages.map((mail) => mail.parsed.messageId);
    expect(againId).toBe(firstId);
    expect(nextId).not.toBe(firstId);
    expect(next.status === "sent" && next.providerMessageId).toMatch(/^[0-9a-f]{32}@sunnyyoga\.example$/);
  });

  it("starts a new thread when there is nothing to reply to", async () => {
    await sender().send({ ...message, email: { subject: "Your trial class", unsubscribeUrl: UNSUBSCRIBE } });
    expect(fake.messages[0]?.parsed.inReplyTo).toBeNull();
    expect(fake.messages[0]?.parsed.references).toEqual([]);
  });

  it("reports a rejected login as token_invalid without the password", async () => {
    const outcome = await sender("wrong-password-123").send(message);
    expect(outcome).toMatchObject({ status: "token_invalid" });
    expect(JSON.stringify(outcome)).not.toContain("wrong-password-123");
    expect(fake.messages).toHaveLength(0);
  });

  it.each([421, 450, 451, 452])("retries a temporary refusal (%i)", async (code) => {
    fake.rejectNext({ code, message: "4.3.0 Try again later" });
    expect(await sender().send(message)).toEqual({ status: "retry", reason: `the SMTP server deferred the message (${code})` });
  });

  it.each([550, 553, 554])("gives up on a permanent refusal (%i)", async (code) => {
    fake.rejectNext({ code, message: "5.1.1 Mailbox unavailable" });
    expect(await sender().send(message)).toEqual({ status: "permanent", reason: `the SMTP server refused the message (${code})` });
  });

  it("retries when the server cannot be reached", async () => {
    await fake.close();
    expect(await sender().send(message)).toMatchObject({ status: "retry" });
    fake = await startFakeSmtpServer({ users: [USER] });
  });

  it("never sends an email without its unsubscribe details", async () => {
    const { email: _email, ...withoutEmail } = message;
    expect(await sender().send(withoutEmail)).toMatchObject({ status: "permanent" });
    expect(fake.messages).toHaveLength(0);
  });

  it("calls a message the server kept but confirmed too late unconfirmed, so it is never sent again", async () => {
    fake.answerDataAfter(2_000);
    const slow = createSmtpSender({
      smtp: { host: fake.host, port: fake.port, secure: false, ...USER },
      from: { address: USER.user },
      timeoutMs: 300,
    });
    expect(await slow.send(message)).toEqual({
      status: "unconfirmed",
      reason: "the SMTP server did not confirm the message (ETIMEDOUT); it may have been delivered",
    });
    expect(fake.messages).toHaveLength(1);
  });

  it("connects to the address it resolved and checked, not to a second DNS answer", async () => {
    const resolve = async () => [{ address: fake.host, family: 4 as const }];
    const named = createSmtpSender({
      smtp: { host: "smtp.sunnyyoga.example", port: fake.port, secure: false, ...USER },
      from: { address: USER.user },
      timeoutMs: 5_000,
      resolve,
    });
    expect(await named.send(message)).toMatchObject({ status: "sent" });
    expect(fake.messages).toHaveLength(1);
  });

  it.each(["10.0.0.5", "127.0.0.1", "169.254.169.254", "::1", "fd00::7", "::ffff:192.168.1.1"])(
    "refuses at send time a host that now resolves into a private network (%s)",
    async (address) => {
      const resolve = async () => [{ address: "93.184.216.34", family: 4 as const }, { address, family: address.includes(":") ? (6 as const) : (4 as const) }];
      const production = createSmtpSender({
        smtp: { host: "smtp.sunnyyoga.example", port: fake.port, secure: false, ...USER },
        from: { address: USER.user },
        timeoutMs: 5_000,
        blockPrivateNetworks: true,
        resolve,
      });
      expect(await production.send(message)).toEqual({
        status: "permanent",
        reason: "the SMTP host smtp.sunnyyoga.example resolves into a private network; the owner must use their provider's SMTP host",
      });
      expect(fake.messages).toHaveLength(0);
    },
  );

  it("retries a host that cannot be found (nothing was sent)", async () => {
    const nowhere = createSmtpSender({
      smtp: { host: "smtp.sunnyyoga.example", port: fake.port, secure: false, ...USER },
      from: { address: USER.user },
      resolve: async () => {
        throw Object.assign(new Error("queryA ENOTFOUND"), { code: "ENOTFOUND" });
      },
    });
    expect(await nowhere.send(message)).toEqual({ status: "retry", reason: "the SMTP host smtp.sunnyyoga.example could not be found" });
  });
});

describe("classifySmtpError", () => {
  const failure = (code: string, responseCode?: number) => Object.assign(new Error(code), { code, ...(responseCode ? { responseCode } : {}) });

  it("maps a TLS failure to a connection the owner must fix", () => {
    expect(classifySmtpError(failure("ETLS"), "setup")).toMatchObject({ status: "token_invalid" });
  });

  it.each(["ETIMEDOUT", "ECONNECTION", "ESOCKET"])("retries %s before the transaction began: nothing was handed over", (code) => {
    expect(classifySmtpError(failure(code), "setup")).toEqual({ status: "retry", reason: `the SMTP server could not be reached (${code})` });
  });

  it.each(["ETIMEDOUT", "ECONNECTION", "ESOCKET"])("calls %s during the transaction unconfirmed", (code) => {
    expect(classifySmtpError(failure(code), "transaction")).toMatchObject({ status: "unconfirmed" });
  });

  it("retries a 4xx reply and gives up on a 5xx reply in either phase: the server said it kept nothing", () => {
    expect(classifySmtpError(failure("EMESSAGE", 451), "transaction")).toMatchObject({ status: "retry" });
    expect(classifySmtpError(failure("EENVELOPE", 550), "transaction")).toMatchObject({ status: "permanent" });
    expect(classifySmtpError(failure("EPROTOCOL", 421), "setup")).toMatchObject({ status: "retry" });
  });
});
