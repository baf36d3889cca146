import { nowJobKey, FOLLOW_UP_JOBS } from "@audnix/core";
import { requestFollowUpNow, unsubscribeByToken } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { startFakeSmtpServer, type FakeSmtpServer } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJobsEnv } from "../../src/env.ts";
import { followUpServicesFromEnv } from "../../src/follow-up-services.ts";
import { createJobsTokenCipher } from "../../src/token-cipher.ts";
import {
  connectFakeSmtp,
  createEngine,
  createOwner,
  followUpsOf,
  jobsWithKey,
  leadWrote,
  makeAllJobsDue,
  outboundMessages,
  saveBrand,
  testEncryptionKey,
  type Engine,
} from "./follow-up-fixtures.ts";

const INBOX = "hello@glow.example";

const t = useTestDatabase();
let smtp: FakeSmtpServer;
let engine: Engine;
let owner: string;

beforeAll(async () => {
  smtp = await startFakeSmtpServer();
  engine = createEngine(t.db);
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { brandName: "Glow Studio" });
  await connectFakeSmtp(t.db, owner, smtp, { inbox: INBOX, fromName: "Glow Studio" });
});

afterAll(async () => {
  await smtp?.close();
});

function emailLead(address: string): Promise<string> {
  return leadWrote(t.db, owner, {
    channel: "email",
    accountId: INBOX,
    senderId: address,
    senderName: "Priya Shah",
    senderEmail: address,
    text: "Hello, I'd like to book a group class.",
  });
}

const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.envelope.rcptTo.includes(address));

describe("the production worker's email sender", () => {
  it("refuses, at send time, an SMTP host that resolves into a private network (here the fake on 127.0.0.1)", async () => {
    const parsed = parseJobsEnv({ NODE_ENV: "production", DATABASE_URL: t.appUrl, ENCRYPTION_KEY: testEncryptionKey });
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const services = followUpServicesFromEnv(parsed.env, { db: t.db, cipher: createJobsTokenCipher(parsed.env) });
    const sender = await services.senderFor({ userId: owner, channel: "email" });
    const before = smtp.messages.length;

    const outcome = await sender!.send({
      idempotencyKey: "step:private-network-check",
      channel: "email",
      recipient: { externalId: "lead@example.com" },
      text: "Hi!",
      email: { subject: "Hello", unsubscribeUrl: "https://app.example.test/unsubscribe/x" },
    });

    expect(outcome).toEqual({
      status: "permanent",
      reason: `the SMTP host ${smtp.host} resolves into a private network; the owner must use their provider's SMTP host`,
    });
    expect(smtp.messages).toHaveLength(before);
  });
});

describe("email follow-ups", () => {
  it("carry a working one-click unsubscribe link in the body and the List-Unsubscribe header", async () => {
    const leadId = await emailLead("priya@example.com");
    await engine.runDueJobs();

    const [mail] = mailsTo("priya@example.com");
    expect(mail?.parsed.text).toContain("Priya");
    const link = /https:\/\/app\.example\.test\/unsubscribe\/([^\s>]+)/.exec(mail?.parsed.text ?? "");
    expect(link).not.toBeNull();
    expect(mail?.parsed.listUnsubscribe).toContain(link![0]);

    expect(await unsubscribeByToken(t.db, { token: decodeURIComponent(link![1]!), now: new Date() })).toBe(true);
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId } }));
    expect(lead.status).toBe("opted_out");
    expect((await followUpsOf(t.db, owner, leadId)).filter((row) => row.status === "planned")).toEqual([]);

    // Nothing more reaches the lead, even when every job is forced due.
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();
    expect(mailsTo("priya@example.com")).toHaveLength(1);
  });

  it("'Follow up now' sends the planned step at once and plans the one after it", async () => {
    const leadId = await emailLead("dev@example.com");
    await engine.runDueJobs();
    const [planned] = await followUpsOf(t.db, owner, leadId);
    expect(planned).toMatchObject({ step: 1, status: "planned" });

    expect(await requestFollowUpNow(t.db, { userId: owner, leadId, now: new Date(), expectedStep: 1 })).toEqual({ outcome: "queued", step: 1 });
    expect(await jobsWithKey(t.db, nowJobKey(leadId))).toEqual([expect.objectContaining({ task_identifier: FOLLOW_UP_JOBS.now })]);
    await engine.runDueJobs();

    expect(mailsTo("dev@example.com")).toHaveLength(2);
    const rows = await followUpsOf(t.db, owner, leadId);
    expect(rows.map((row) => [row.id === planned!.id, row.step, row.status])).toEqual([
      [true, 1, "sent"],
      [false, 2, "planned"],
    ]);
    const messages = await outboundMessages(t.db, owner, leadId);
    expect(messages.map((message) => message.idempotencyKey)).toEqual([expect.stringMatching(/^reply:/), `step:${planned!.id}`]);
  });

  it("'Follow up now' pressed twice sends one follow-up: while on its way, and after the first went out", async () => {
    const leadId = await emailLead("twice@example.com");
    await engine.runDueJobs();
    expect(mailsTo("twice@example.com")).toHaveLength(1);
    const press = () => requestFollowUpNow(t.db, { userId: owner, leadId, now: new Date(), expectedStep: 1 });

    // Twice before the worker picks it up.
    expect(await press()).toEqual({ outcome: "queued", step: 1 });
    expect(await press()).toEqual({ outcome: "already_pending", step: 1 });
    await engine.runDueJobs();
    expect(mailsTo("twice@example.com")).toHaveLength(2);

    // Again from the same page a moment later: the job has finished, its key no longer dedupes.
    expect(await press()).toEqual({ outcome: "already_sent", step: 1 });
    await engine.runDueJobs();
    expect(mailsTo("twice@example.com")).toHaveLength(2);
    const rows = await followUpsOf(t.db, owner, leadId);
    expect(rows.map((row) => [row.step, row.status])).toEqual([
      [1, "sent"],
      [2, "planned"],
    ]);
  });
});
