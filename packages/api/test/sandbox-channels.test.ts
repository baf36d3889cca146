import { randomBytes } from "node:crypto";
import { createTokenCipher } from "@audnix/core";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { startFakeWhatsappCloud, verifyWhatsappPhoneNumber, type FakeWhatsappCloud } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext, type TrpcContext } from "../src/index.ts";

const NOW = new Date("2026-06-01T09:00:00.000Z");
// Two `pnpm dev` launches: connections made during the first point at a fake the second does not run.
const FIRST_RUN = "first-run-0001";
const NEXT_RUN = "next-run-00002";
const FAKE_NUMBER = { id: "106540352242922", displayPhoneNumber: "+1 555-0147", verifiedName: "Acme Studio", accessToken: "EAAG-fake-token" };
const REAL_NUMBER = { id: "209871234567890", displayPhoneNumber: "+1 555-0199", verifiedName: "Real Co", accessToken: "EAAG-real-token" };
const REFUSAL = "Only the sandbox and channels connected to this run's local fakes can be simulated.";

const t = useTestDatabase();
let owner: string;
let stranger: string;
let whatsapp: FakeWhatsappCloud;
let connections: NonNullable<TrpcContext["connections"]>;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  whatsapp = await startFakeWhatsappCloud({ phoneNumbers: [FAKE_NUMBER, REAL_NUMBER] });
  connections = {
    cipher: createTokenCipher(randomBytes(32)),
    verifyWhatsappNumber: (input) => verifyWhatsappPhoneNumber({ baseUrl: whatsapp.url, ...input }),
    verifySmtp: async () => ({ ok: false, reason: "not used here" }),
    inboundEmailAddress: () => "unused@inbound.audnix.test",
  };
  // The owner connects during the first launch (its fake); the stranger against the real vendor.
  await callerFor(owner, FIRST_RUN).connections.connectWhatsapp({ phoneNumberId: FAKE_NUMBER.id, accessToken: FAKE_NUMBER.accessToken });
  await callerFor(stranger, null).connections.connectWhatsapp({ phoneNumberId: REAL_NUMBER.id, accessToken: REAL_NUMBER.accessToken });
});

afterAll(async () => {
  await whatsapp?.close();
});

const callerFor = (userId: string, sandboxRunId: string | null) =>
  createCaller(createTrpcContext({ db: t.db, userId, now: () => NOW, connections, sandboxRunId }));

async function sandboxLabel(userId: string, sandboxRunId: string | null) {
  const list = await callerFor(userId, sandboxRunId).connections.list();
  return list.find((connection) => connection.channel === "whatsapp")?.sandbox;
}

describe("simulating a message on a sandbox-connected channel", () => {
  it("labels a connection by the pnpm dev launch it was made in", async () => {
    expect(await sandboxLabel(owner, FIRST_RUN)).toBe("current");
    expect(await sandboxLabel(owner, NEXT_RUN)).toBe("stale");
    expect(await sandboxLabel(owner, null)).toBe("stale");
    expect(await sandboxLabel(stranger, FIRST_RUN)).toBeNull();
    const instagram = (await callerFor(owner, FIRST_RUN).connections.list()).find((connection) => connection.channel === "instagram");
    expect(instagram).toMatchObject({ status: "not_connected", sandbox: null });
  });

  it("captures a WhatsApp lead, addressed like the webhook to the connected number, in the current launch", async () => {
    const caller = callerFor(owner, FIRST_RUN);
    const first = await caller.sandbox.simulateInbound({ channel: "whatsapp", name: "Maya Ortiz", text: "Is the course still open?" });
    expect(first.leadCreated).toBe(true);
    const again = await caller.sandbox.simulateInbound({ channel: "whatsapp", name: " maya ortiz ", text: "Hello?" });
    expect(again).toEqual({ leadId: first.leadId, leadCreated: false });

    const { lead, messages } = await caller.leads.byId({ id: first.leadId });
    expect(lead).toMatchObject({ channel: "whatsapp", name: "Maya Ortiz" });
    expect(lead.phone).toMatch(/^\+1555\d{7}$/);
    expect(messages.map((message) => [message.direction, message.body])).toEqual([
      ["inbound", "Is the course still open?"],
      ["inbound", "Hello?"],
    ]);
  });

  it("refuses a stale sandbox connection, a real one and an unconnected channel, writing nothing", async () => {
    const before = await t.db.asSystem((tx) => tx.message.count());
    const attempts = [
      () => callerFor(owner, NEXT_RUN).sandbox.simulateInbound({ channel: "whatsapp", name: "Ada", text: "Hi" }),
      () => callerFor(stranger, FIRST_RUN).sandbox.simulateInbound({ channel: "whatsapp", name: "Ada", text: "Hi" }),
      () => callerFor(owner, FIRST_RUN).sandbox.simulateInbound({ channel: "instagram", name: "Ada", text: "Hi" }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: "BAD_REQUEST", message: REFUSAL });
    expect(await t.db.asSystem((tx) => tx.message.count())).toBe(before);
  });
});
