import { leadFactsJobKey } from "@audnix/core";
import { listLeadMemoryFacts, loadFollowUpContext } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import {
  createOpenAiGenerator,
  defaultFakeReply,
  FAKE_OPENAI_API_KEY,
  startFakeInstagram,
  startFakeOpenAi,
  startFakeSmtpServer,
  type FakeChatRequest,
  type FakeInstagram,
  type FakeOpenAi,
  type FakeSmtpServer,
} from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leadSnapshot } from "../../src/tasks/followup-snapshot.ts";
import {
  connectFakeInstagram,
  connectFakeSmtp,
  createEngine,
  createOwner,
  HOUR_MS,
  instagramLeadWrote,
  jobsWithKey,
  makeAllJobsDue,
  outboundMessages,
  saveBrand,
  type Engine,
} from "./follow-up-fixtures.ts";

// Lead memory end to end (docs/decisions/0022): a DM's facts are read once per message, by the
// lead:facts job or, when the reply runs first, by the reply job itself; an address the lead
// writes fills the lead's email, so a follow-up can go by email once Instagram's window has closed.

const INBOX = "hello@glow.example";
const t = useTestDatabase();
let instagram: FakeInstagram;
let smtp: FakeSmtpServer;
let openai: FakeOpenAi;

beforeAll(async () => {
  instagram = await startFakeInstagram();
  smtp = await startFakeSmtpServer();
  // The model finds what the rules cannot ("a gift for my mum") and misreads the address: the rules' address wins.
  openai = await startFakeOpenAi({
    reply: (request: FakeChatRequest) =>
      request.response_format?.type === "json_schema" && request.response_format.json_schema.name === "lead_facts"
        ? JSON.stringify({
            facts: [
              { kind: "interest", value: "a gift for my mum" },
              { kind: "email", value: "sam@shop.exampel" },
              { kind: "shoe_size", value: "42" },
            ],
          })
        : defaultFakeReply(request),
  });
});

afterAll(async () => {
  await instagram?.close();
  await smtp?.close();
  await openai?.close();
});

let owner: string;
beforeAll(async () => {
  // One owner: an Instagram account belongs to one Audnix account. Each test has its own lead.
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { brandName: "Glow Studio" });
  await connectFakeInstagram(t.db, owner, instagram);
  await connectFakeSmtp(t.db, owner, smtp, { inbox: INBOX, fromName: "Glow Studio" });
});

const factsOf = async (leadId: string) =>
  ((await listLeadMemoryFacts(t.db, { userId: owner, leadId })) ?? []).map(({ kind, value, source }) => ({ kind, value, source }));

describe("lead facts from a DM", () => {
  it("fills the lead's email from 'my email is ...', greets by the name asked for, and goes by email once Instagram's window closed", async () => {
    const engine: Engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url });
    // 30 hours ago: Instagram's 24 h window has closed by the time anyone answers.
    const leadId = await instagramLeadWrote(t.db, owner, {
      senderId: "igsid-sam",
      text: "Hi, call me Sam. My email is sam@shop.example",
      ago: 30 * HOUR_MS,
    });

    await engine.runDueJobs();

    expect(await factsOf(leadId)).toEqual([
      { kind: "email", value: "sam@shop.example", source: "rules" },
      { kind: "preferred_name", value: "Sam", source: "rules" },
      { kind: "language", value: "en", source: "rules" },
    ]);
    const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, include: { messages: true } }));
    expect(lead.email).toBe("sam@shop.example");
    // Read once: the message is marked, and its own job has nothing left to do.
    expect(lead.messages.filter((m) => m.direction === "inbound").map((m) => m.factsExtractedAt !== null)).toEqual([true]);
    const inbound = lead.messages.find((m) => m.direction === "inbound");
    expect(await jobsWithKey(t.db, leadFactsJobKey(inbound?.id ?? ""))).toEqual([]);

    // The policy now reaches the lead by email, and the reply went there, greeting "Sam".
    const context = await loadFollowUpContext(t.db, { userId: owner, leadId });
    expect(context && leadSnapshot(context).reachable).toEqual(["instagram", "email"]);
    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent.map((message) => message.channel)).toEqual(["email"]);
    const mails = smtp.messages.filter((mail) => mail.envelope.rcptTo.includes("sam@shop.example"));
    expect(mails).toHaveLength(1);
    expect(sent[0]?.body).toContain("Hi Sam!");
  });

  it("the reply reads the messages whose own facts jobs have not run, so its draft greets by the new name", async () => {
    const engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url });
    const leadId = await instagramLeadWrote(t.db, owner, { senderId: "igsid-robust", text: "hello there!", ago: 2 * 60_000 });
    await instagramLeadWrote(t.db, owner, { senderId: "igsid-robust", text: "btw call me Robin", ago: 60_000 });
    // The facts jobs are gone (say, still queued behind others): only the reply job is left to read them.
    const inbound = await t.db.asUser(owner, (tx) => tx.message.findMany({ where: { leadId }, select: { id: true } }));
    for (const { id } of inbound) await t.db.pool.query("SELECT graphile_worker.remove_job($1)", [leadFactsJobKey(id)]);

    // The reply waits a human-like moment (re-queued once): its second round runs now too.
    await engine.runDueJobs();
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();

    expect(await factsOf(leadId)).toContainEqual({ kind: "preferred_name", value: "Robin", source: "rules" });
    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toContain("Hi Robin!");
  });

  it("fills the lead's phone from a number the lead writes, so WhatsApp can reach them", async () => {
    const engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url });
    const leadId = await instagramLeadWrote(t.db, owner, { senderId: "igsid-phone", text: "WhatsApp me on +34 612 34 56 78", ago: 60_000 });

    await engine.runDueJobs();

    const context = await loadFollowUpContext(t.db, { userId: owner, leadId });
    expect(context?.lead.phone).toBe("+34612345678");
    expect(context && leadSnapshot(context).reachable).toEqual(["instagram", "whatsapp"]);
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { target: leadId }, select: { action: true, data: true } }));
    // The audit row names the field and the message, never the number.
    expect(audit.filter((row) => row.action === "lead.phone_filled")).toEqual([{ action: "lead.phone_filled", data: { field: "phone", messageId: expect.any(String) } }]);
    expect(JSON.stringify(engine.lines)).not.toContain("612");
  });

  it("never overwrites an email the lead already has, and records that it kept it", async () => {
    const engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url });
    const leadId = await instagramLeadWrote(t.db, owner, { senderId: "igsid-kept", text: "hello there", ago: 60_000 });
    await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: leadId }, data: { email: "first@shop.example" } }));
    await instagramLeadWrote(t.db, owner, { senderId: "igsid-kept", text: "write to other@shop.example", ago: 30_000 });

    await engine.runDueJobs();

    const lead = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId } }));
    expect(lead.email).toBe("first@shop.example");
    expect(await factsOf(leadId)).toContainEqual({ kind: "email", value: "other@shop.example", source: "rules" });
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { target: leadId }, select: { action: true } }));
    expect(audit).toContainEqual({ action: "lead.email_kept" });
  });

  it("with a model, adds what its structured output finds, checked per kind, the rules' address winning", async () => {
    const engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, generator: createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${openai.url}/v1`, maxRetries: 0, model: "gpt-4o-mini" }) });
    const leadId = await instagramLeadWrote(t.db, owner, {
      senderId: "igsid-model",
      text: "my email is sam@shop.example, I want something nice for mum's birthday",
      ago: 60_000,
    });

    await engine.runDueJobs();

    expect(await factsOf(leadId)).toEqual([
      { kind: "email", value: "sam@shop.example", source: "rules" },
      { kind: "language", value: "en", source: "rules" },
      { kind: "interest", value: "a gift for my mum", source: "model" },
    ]);
    const asked = openai.requests.filter((request) => request.response_format?.type === "json_schema" && request.response_format.json_schema.name === "lead_facts");
    expect(asked).toHaveLength(1);
    expect(asked[0]?.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "lead_facts", strict: true } });
  });

  it("spends no model tokens on a lead the plan refused: the rules still read it", async () => {
    const engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, generator: createOpenAiGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${openai.url}/v1`, maxRetries: 0, model: "gpt-4o-mini" }) });
    const leadId = await instagramLeadWrote(t.db, owner, { senderId: "igsid-blocked", text: "hi", ago: 60_000 });
    await t.db.asUser(owner, (tx) => tx.lead.update({ where: { id: leadId }, data: { aiBlockedReason: "lead_limit_reached" } }));
    openai.requests.length = 0;
    await instagramLeadWrote(t.db, owner, { senderId: "igsid-blocked", text: "my number is +49 151 2345 6789", ago: 30_000 });

    await engine.runDueJobs();

    expect(await factsOf(leadId)).toEqual([
      { kind: "phone", value: "+4915123456789", source: "rules" },
      { kind: "language", value: "en", source: "rules" },
    ]);
    expect(openai.requests.filter((request) => request.response_format?.type === "json_schema")).toEqual([]);
  });
});
