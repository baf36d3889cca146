import { randomBytes } from "node:crypto";
import { createTokenCipher, inboundEmailAddress } from "@audnix/core";
import { forgetDisconnectedCredentials, loadConnectionCredentials, markConnectionNeedsReconnect } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import {
  startFakeSmtpServer,
  startFakeWhatsappCloud,
  verifySmtpCredentials,
  verifyWhatsappPhoneNumber,
  type FakeSmtpServer,
  type FakeWhatsappCloud,
} from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext, type TrpcContext } from "../src/index.ts";

const NOW = new Date("2026-06-01T09:00:00.000Z");
const NUMBER = { id: "106540352242922", displayPhoneNumber: "+1 555-0147", verifiedName: "Acme Studio", accessToken: "EAAGacme-whatsapp-secret" };
const SMTP_USER = { user: "owner@acme.test", password: "smtp-secret-password" };

const cipher = createTokenCipher(randomBytes(32));
const INBOUND_DOMAIN = "inbound.audnix.test";
// The platform's inbound addresses: `<slug>-<16 base32 characters>@<domain>`.
const ASSIGNED = /^[a-z0-9-]{1,20}-[a-z2-7]{16}@inbound\.audnix\.test$/;

// Deterministic "random" bytes: a different address on every call, the same run after run.
let draws = 0;
const countingBytes = (size: number) => Uint8Array.from({ length: size }, (_, index) => (index === size - 1 ? ++draws : 0x5a));

const t = useTestDatabase();
let owner: string;
let stranger: string;
let whatsapp: FakeWhatsappCloud;
let smtp: FakeSmtpServer;
let connections: NonNullable<TrpcContext["connections"]>;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  whatsapp = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER] });
  smtp = await startFakeSmtpServer({ users: [SMTP_USER] });
  connections = {
    cipher,
    verifyWhatsappNumber: (input) => verifyWhatsappPhoneNumber({ baseUrl: whatsapp.url, ...input }),
    verifySmtp: (settings) => verifySmtpCredentials(settings, { timeoutMs: 3_000 }),
    inboundEmailAddress: (label) => inboundEmailAddress({ label, domain: INBOUND_DOMAIN, randomBytes: countingBytes }),
  };
});

afterAll(async () => {
  await whatsapp?.close();
  await smtp?.close();
});

const callerFor = (userId: string | null, now = NOW) => createCaller(createTrpcContext({ db: t.db, userId, now: () => now, connections }));

const emailInput = (overrides: Partial<{ password: string }> = {}) => ({
  fromAddress: "Hello@Acme.test",
  fromName: "Acme Studio",
  smtp: { host: smtp.host, port: smtp.port, secure: false, user: SMTP_USER.user, password: overrides.password ?? SMTP_USER.password },
});

async function statusOf(userId: string, channel: "instagram" | "whatsapp" | "email") {
  const list = await callerFor(userId).connections.list();
  return list.find((connection) => connection.channel === channel);
}

describe("connections", () => {
  it("lists Instagram, WhatsApp and email as not connected for a new owner", async () => {
    const list = await callerFor(owner).connections.list();
    expect(list.map((connection) => [connection.channel, connection.status])).toEqual([
      ["instagram", "not_connected"],
      ["whatsapp", "not_connected"],
      ["email", "not_connected"],
    ]);
  });

  it("refuses a WhatsApp token the Cloud API does not accept and saves nothing", async () => {
    const attempt = callerFor(owner).connections.connectWhatsapp({ phoneNumberId: NUMBER.id, accessToken: "EAAG-not-a-real-token" });
    await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/invalid or expired/) });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining("EAAG") });
    expect((await statusOf(owner, "whatsapp"))?.status).toBe("not_connected");
  });

  it("connects WhatsApp after the Graph API vouches for the number, keeping the token sealed", async () => {
    const saved = await callerFor(owner).connections.connectWhatsapp({ phoneNumberId: ` ${NUMBER.id} `, accessToken: NUMBER.accessToken });
    expect(saved).toEqual({ channel: "whatsapp", status: "connected", displayName: "Acme Studio (+1 555-0147)" });

    const listed = await callerFor(owner).connections.list();
    expect(listed.find((connection) => connection.channel === "whatsapp")).toMatchObject({
      status: "connected",
      displayName: "Acme Studio (+1 555-0147)",
      externalAccountId: NUMBER.id,
    });
    expect(JSON.stringify(listed)).not.toContain(NUMBER.accessToken);

    const row = await t.db.asSystem((tx) => tx.connection.findFirstOrThrow({ where: { userId: owner, channel: "whatsapp" } }));
    expect(row.credentialsCiphertext).not.toContain(NUMBER.accessToken);
    const loaded = await loadConnectionCredentials(t.db, { userId: owner, channel: "whatsapp" }, cipher);
    expect(loaded?.credentials).toEqual({ accessToken: NUMBER.accessToken });
  });

  it("never shows one owner's connections to another, and refuses a number already connected elsewhere", async () => {
    expect((await statusOf(stranger, "whatsapp"))?.status).toBe("not_connected");
    await expect(
      callerFor(stranger).connections.connectWhatsapp({ phoneNumberId: NUMBER.id, accessToken: NUMBER.accessToken }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/already connected to another Audnix account/) });
    expect((await statusOf(stranger, "whatsapp"))?.status).toBe("not_connected");
    expect((await statusOf(owner, "whatsapp"))?.status).toBe("connected");
  });

  it("refuses SMTP credentials the server rejects during the handshake", async () => {
    await expect(callerFor(owner).connections.connectEmail(emailInput({ password: "not-the-password" }))).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/rejected the user name or password/),
    });
    expect((await statusOf(owner, "email"))?.status).toBe("not_connected");
  });

  it("connects email with a real SMTP login and assigns the account its own unguessable inbound address", async () => {
    await callerFor(owner).connections.connectEmail(emailInput());
    const email = await statusOf(owner, "email");
    expect(email).toMatchObject({
      status: "connected",
      displayName: "Acme Studio <hello@acme.test>",
      email: { fromAddress: "hello@acme.test", fromName: "Acme Studio" },
    });
    expect(email?.externalAccountId).toMatch(ASSIGNED);
    expect(email?.externalAccountId).toMatch(/^acme-studio-/);
    expect(email?.email?.inboundAddress).toBe(email?.externalAccountId);
    expect(JSON.stringify(await callerFor(owner).connections.list())).not.toContain(SMTP_USER.password);
    const loaded = await loadConnectionCredentials(t.db, { userId: owner, channel: "email" }, cipher);
    expect(loaded?.credentials).toEqual({ smtp: emailInput().smtp });
    expect((await statusOf(stranger, "email"))?.status).toBe("not_connected");
  });

  it("never lets an owner choose the inbound address, so nobody can claim another business's mail", async () => {
    const claimer = await t.db.asSystem(async (tx) => (await tx.user.create({ data: { email: "claimer@example.test", plan: "starter" } })).id);
    const claimed = "hello@acme.test";
    await callerFor(claimer).connections.connectEmail({ ...emailInput(), inboundAddress: claimed } as ReturnType<typeof emailInput>);
    const claimers = await statusOf(claimer, "email");
    expect(claimers?.externalAccountId).toMatch(ASSIGNED);
    expect(claimers?.externalAccountId).not.toBe((await statusOf(owner, "email"))?.externalAccountId);
    const routedTo = await t.db.asSystem((tx) => tx.connection.findMany({ where: { channel: "email", externalAccountId: claimed } }));
    expect(routedTo).toEqual([]);
  });

  it("keeps the account's inbound address when email is reconnected, after a reconnect request or a disconnect", async () => {
    const assigned = (await statusOf(owner, "email"))?.externalAccountId;
    await markConnectionNeedsReconnect(t.db, { userId: owner, channel: "email", reason: "The SMTP password was changed.", now: NOW });
    expect(await statusOf(owner, "email")).toMatchObject({ status: "needs_reconnect", externalAccountId: assigned });
    await callerFor(owner).connections.connectEmail(emailInput());
    expect(await statusOf(owner, "email")).toMatchObject({ status: "connected", externalAccountId: assigned });

    await callerFor(owner).connections.disconnect({ channel: "email" });
    expect((await statusOf(owner, "email"))?.status).toBe("not_connected");
    await callerFor(owner).connections.connectEmail(emailInput());
    expect(await statusOf(owner, "email")).toMatchObject({ status: "connected", externalAccountId: assigned });
  });

  it("explains a field the owner got wrong", async () => {
    await expect(callerFor(owner).connections.connectEmail({ ...emailInput(), fromAddress: "not an address" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/Enter a valid from address/),
    });
  });

  it("shows a connection that needs reconnecting with its reason", async () => {
    await markConnectionNeedsReconnect(t.db, { userId: owner, channel: "whatsapp", reason: "The access token was revoked.", now: NOW });
    expect(await statusOf(owner, "whatsapp")).toMatchObject({ status: "needs_reconnect", reason: "The access token was revoked." });
  });

  it("disconnects a channel at once, can undo it for 10 minutes with the same credentials, then forgets them", async () => {
    const undoUntil = new Date(NOW.getTime() + 10 * 60_000);
    expect(await callerFor(owner).connections.disconnect({ channel: "whatsapp" })).toEqual({ disconnected: true, undoUntil });
    expect(await statusOf(owner, "whatsapp")).toMatchObject({ status: "not_connected", displayName: null, externalAccountId: null });
    // Nothing sends with them meanwhile.
    expect(await loadConnectionCredentials(t.db, { userId: owner, channel: "whatsapp" }, cipher)).toBeNull();
    expect((await statusOf(owner, "email"))?.status).toBe("connected");
    // Another owner's disconnect or undo touches nothing of this owner's.
    expect(await callerFor(stranger).connections.disconnect({ channel: "email" })).toEqual({ disconnected: false, undoUntil: null });
    await expect(callerFor(stranger).connections.undoDisconnect({ channel: "whatsapp" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await statusOf(owner, "email"))?.status).toBe("connected");

    expect(await callerFor(owner, new Date(undoUntil.getTime() - 1)).connections.undoDisconnect({ channel: "whatsapp" })).toEqual({ restored: true });
    expect(await statusOf(owner, "whatsapp")).toMatchObject({ status: "connected", externalAccountId: NUMBER.id });
    expect((await loadConnectionCredentials(t.db, { userId: owner, channel: "whatsapp" }, cipher))?.credentials).toMatchObject({ accessToken: NUMBER.accessToken });

    await callerFor(owner).connections.disconnect({ channel: "whatsapp" });
    // The worker's run before the window closes keeps them; the first one after erases them.
    expect(await forgetDisconnectedCredentials(t.db, new Date(undoUntil.getTime() - 1))).toBe(0);
    expect(await forgetDisconnectedCredentials(t.db, undoUntil)).toBe(1);
    const row = await t.db.asSystem((tx) => tx.connection.findFirstOrThrow({ where: { userId: owner, channel: "whatsapp" } }));
    expect([row.credentialsCiphertext, row.credentialsKeyId, row.externalAccountId, row.undoDisconnectUntil]).toEqual([null, null, null, null]);
    await expect(callerFor(owner, undoUntil).connections.undoDisconnect({ channel: "whatsapp" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "Too late to undo: a disconnect can be undone for 10 minutes, then its credentials are erased. Connect the channel again.",
    });
  });

  it("requires a signed-in user, and refuses to connect where the app wired no services", async () => {
    await expect(callerFor(null).connections.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const unwired = createCaller(createTrpcContext({ db: t.db, userId: owner, now: () => NOW }));
    await expect(unwired.connections.connectWhatsapp({ phoneNumberId: NUMBER.id, accessToken: NUMBER.accessToken })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });
});
