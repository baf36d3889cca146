import { nowJobKey, FOLLOW_UP_JOBS } from "@audnix/core";
import { unsubscribeByToken } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { FAKE_SMTP_DEFAULT_USER, startFakeSmtpServer, type FakeSmtpServer } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectChannel,
  createEngine,
  createOwner,
  followUpsOf,
  leadWrote,
  makeAllJobsDue,
  outboundMessages,
  saveBrand,
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
  await connectChannel(t.db, {
    userId: owner,
    channel: "email",
    externalAccountId: INBOX,
    displayName: INBOX,
    credentials: {
      smtp: { host: smtp.host, port: smtp.port, secure: false, user: FAKE_SMTP_DEFAULT_USER.user, password: FAKE_SMTP_DEFAULT_USER.password },
    },
    settings: { fromAddress: INBOX, fromName: "Glow Studio" },
  });
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
    text: "Hello, what are your prices for a group class?",
  });
}

const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.envelope.rcptTo.includes(address));

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

    await t.db.pool.query("SELECT graphile_worker.add_job($1, json_build_object('leadId', $2::text, 'userId', $3::text), job_key := $4)", [
      FOLLOW_UP_JOBS.now,
      leadId,
      owner,
      nowJobKey(leadId),
    ]);
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
});
