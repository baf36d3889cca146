import { stepJobKey } from "@audnix/core";
import { useTestDatabase } from "@audnix/db/testing";
import {
  FAKE_WHATSAPP_DEFAULT_NUMBER,
  INSTAGRAM_WINDOW_CLOSED_FAILURE,
  startFakeInstagram,
  startFakeWhatsappCloud,
  type FakeInstagram,
  type FakeWhatsappCloud,
} from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectChannel,
  connectFakeInstagram,
  createEngine,
  createOwner,
  followUpsOf,
  HOUR_MS,
  instagramLeadWrote,
  makeAllJobsDue,
  MINUTE_MS,
  outboundMessages,
  saveBrand,
  type Engine,
} from "./follow-up-fixtures.ts";

const t = useTestDatabase();
let instagram: FakeInstagram;
let whatsapp: FakeWhatsappCloud;
let engine: Engine;
let owner: string;
let instagramToken: string;

async function connectInstagram(): Promise<void> {
  instagramToken = await connectFakeInstagram(t.db, owner, instagram);
}

beforeAll(async () => {
  instagram = await startFakeInstagram();
  whatsapp = await startFakeWhatsappCloud();
  engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, whatsappGraphBaseUrl: whatsapp.url });
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { whatsappTemplateName: "follow_up_check_in", brandName: "Glow Studio" });
  await connectInstagram();
  await connectChannel(t.db, {
    userId: owner,
    channel: "whatsapp",
    externalAccountId: FAKE_WHATSAPP_DEFAULT_NUMBER.id,
    displayName: FAKE_WHATSAPP_DEFAULT_NUMBER.displayPhoneNumber,
    credentials: { accessToken: FAKE_WHATSAPP_DEFAULT_NUMBER.accessToken },
  });
});

afterAll(async () => {
  await instagram?.close();
  await whatsapp?.close();
});

/** An Instagram lead (with a phone number, so WhatsApp can reach them) who wrote `ago` ms ago. */
async function instagramLead(senderId: string, ago: number, phone: string | null = null): Promise<string> {
  // Not a question: one the (empty) knowledge base can't answer would hold the steps for the owner.
  const leadId = await instagramLeadWrote(t.db, owner, { senderId, senderName: "Sam Lee", text: "Hey, I'd like to book an opening this week.", ago });
  if (phone) await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: leadId }, data: { phone } }));
  return leadId;
}

const toInstagram = (recipient: string) => instagram.sentMessages.filter((sent) => sent.recipientId === recipient);
const toWhatsapp = (to: string) => whatsapp.sentMessages.filter((sent) => sent.to === to);

async function auditActions(): Promise<string[]> {
  const rows = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ select: { action: true } }));
  return rows.map((row) => row.action);
}

describe("follow-ups on Instagram and WhatsApp", () => {
  it("replies on Instagram inside the 24 h window, greeting the lead by first name", async () => {
    const leadId = await instagramLead("igsid-inside", 10 * MINUTE_MS);
    await engine.runDueJobs();

    expect(toInstagram("igsid-inside")).toEqual([expect.objectContaining({ message: { text: expect.stringContaining("Sam") } })]);
    const [sent] = await outboundMessages(t.db, owner, leadId);
    expect(sent).toMatchObject({ channel: "instagram", providerMessageId: toInstagram("igsid-inside")[0]!.messageId });
  });

  it("outside Instagram's 24 h window, escalates to the approved WhatsApp template", async () => {
    const leadId = await instagramLead("igsid-late", 25 * HOUR_MS, "+1 (555) 010-7788");
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();

    expect(toInstagram("igsid-late")).toEqual([]);
    const sent = toWhatsapp("15550107788");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: "template", payload: expect.objectContaining({ template: expect.objectContaining({ name: "follow_up_check_in" }) }) });
    const [message] = await outboundMessages(t.db, owner, leadId);
    expect(message).toMatchObject({ channel: "whatsapp", deliveryStatus: "sent", metadata: expect.objectContaining({ mode: "template" }) });
  });

  it("when Instagram answers 'window closed', re-plans the same message on WhatsApp", async () => {
    const leadId = await instagramLead("igsid-refused", 10 * MINUTE_MS, "+15550109900");
    instagram.failNextSend(INSTAGRAM_WINDOW_CLOSED_FAILURE);
    await engine.runDueJobs();

    expect(toInstagram("igsid-refused")).toEqual([]);
    expect(toWhatsapp("15550109900")).toHaveLength(1);
    const messages = await outboundMessages(t.db, owner, leadId);
    expect(messages.map((message) => message.channel)).toEqual(["whatsapp"]);
  });

  it("a 429 then a success sends exactly one message", async () => {
    const leadId = await instagramLead("igsid-busy", 10 * MINUTE_MS);
    instagram.failNextSend({ status: 429, body: { error: { message: "Too many calls", type: "OAuthException", code: 4 } } });
    await engine.runDueJobs();
    // The refused attempt cleared its pending record; graphile-worker retries after its backoff
    // (which a slow run may already have reached).
    await t.db.pool.query("UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = $1", [`followup:reply:${leadId}`]);
    await engine.runDueJobs();

    expect(toInstagram("igsid-busy")).toHaveLength(1);
    const messages = await outboundMessages(t.db, owner, leadId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ providerMessageId: toInstagram("igsid-busy")[0]!.messageId, deliveryStatus: "sent" });
  });

  it("a permanent refusal is logged on the lead and the sequence goes on", async () => {
    const leadId = await instagramLead("igsid-blocked", 10 * MINUTE_MS);
    instagram.failNextSend({ status: 400, body: { error: { message: "User unavailable", type: "OAuthException", code: 551 } } });
    await engine.runDueJobs();

    const [message] = await outboundMessages(t.db, owner, leadId);
    expect(message).toMatchObject({ deliveryStatus: "failed", failureReason: expect.stringContaining("not available") });
    expect(await auditActions()).toContain("follow_up.send_failed");
    expect((await followUpsOf(t.db, owner, leadId)).map((row) => [row.step, row.status])).toEqual([[1, "planned"]]);
  });

  it("two runners on one database never send the same step twice", async () => {
    const leads = await Promise.all(Array.from({ length: 12 }, (_, i) => instagramLead(`igsid-race-${i}`, 10 * MINUTE_MS)));
    await Promise.all([engine.runDueJobs(), engine.runDueJobs()]);
    // Every planned step twice in the queue (no job key), so both runners pick up each step.
    await t.db.pool.query(
      `SELECT graphile_worker.add_job('followup:step', json_build_object('followUpId', id, 'userId', user_id))
         FROM follow_ups, generate_series(1, 2) WHERE status = 'planned' AND lead_id = ANY($1::uuid[])`,
      [leads],
    );
    await makeAllJobsDue(t.db);
    await Promise.all([engine.runDueJobs(), engine.runDueJobs()]);

    for (let i = 0; i < leads.length; i += 1) {
      const sent = toInstagram(`igsid-race-${i}`);
      expect(sent, `lead ${i}`).toHaveLength(2);
      const rows = await followUpsOf(t.db, owner, leads[i]!);
      expect(rows.filter((row) => row.step === 1 && row.status === "sent")).toHaveLength(1);
      expect(rows.filter((row) => row.step === 2 && row.status === "planned")).toHaveLength(1);
    }
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key LIKE 'followup:step:%' AND key = ANY($1)", [
      leads.map((lead) => stepJobKey(lead, 2)),
    ]);
    expect(rows[0].n).toBe(leads.length);
  });

  it("an invalid token (190) marks the connection needs_reconnect and finishes the job", async () => {
    const leadId = await instagramLead("igsid-revoked", 10 * MINUTE_MS);
    instagram.revokeToken(instagramToken);
    await engine.runDueJobs();

    const connection = await t.db.asUser(owner, (tx) => tx.connection.findFirstOrThrow({ where: { channel: "instagram" } }));
    expect(connection.status).toBe("needs_reconnect");
    const [message] = await outboundMessages(t.db, owner, leadId);
    expect(message).toMatchObject({ deliveryStatus: "failed" });
    const { rows } = await t.db.pool.query("SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = $1", [
      `followup:reply:${leadId}`,
    ]);
    expect(rows[0].n).toBe(0);
    expect(toInstagram("igsid-revoked")).toEqual([]);
    await connectInstagram();
  });
});
