import { beginSend, completeSend, type Db } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

// The owner is in Berlin. "Last 7 days" on 2026-03-30 is Mar 24-30 (Mar 29 has 23 hours);
// the previous period is Mar 17-23.
const NOW = new Date("2026-03-30T10:00:00Z");

const t = useTestDatabase();
let owner: string;
let newYorker: string;

const callerAt = (userId: string, at: Date) => createCaller(createTrpcContext({ db: t.db, userId, now: () => at }));

/** A lead's message through the real capture (the dashboard's sandbox), at `at`. */
async function leadWrites(userId: string, name: string, text: string, at: string): Promise<string> {
  const { leadId, leadCreated } = await callerAt(userId, new Date(at)).sandbox.simulateInbound({ name, text });
  // Capture dates the message with the delivery's time but the new lead with the database clock;
  // the fixture's leads arrived at their first message's time.
  if (leadCreated) await t.db.asUser(userId, (tx) => tx.lead.update({ where: { id: leadId }, data: { createdAt: new Date(at) } }));
  return leadId;
}

/** An AI message through the engine's send path (recorded, then settled), at `at`. */
async function aiSends(db: Db, input: { userId: string; leadId: string; key: string; step: number | null; at: string; unconfirmed?: boolean; needsOwner?: boolean }) {
  const now = new Date(input.at);
  const begun = await beginSend(db, {
    userId: input.userId,
    leadId: input.leadId,
    idempotencyKey: input.key,
    channel: "sandbox",
    author: "ai",
    followUpStep: input.step,
    body: "Thanks for writing! Here is what I can tell you.",
    needsOwner: input.needsOwner ? { reason: "unanswered_question", detail: "Do you ship to Norway?" } : null,
    now,
  });
  await completeSend(db, {
    userId: input.userId,
    leadId: input.leadId,
    messageId: begun.messageId,
    providerMessageId: input.unconfirmed ? null : `sandbox-${input.key}`,
    delivery: input.unconfirmed ? { status: "unconfirmed", reason: "The send timed out." } : { status: "sent" },
    next: null,
    answeredUpTo: null,
    now,
  });
}

let anna: string;
let ben: string;
let cleo: string;
let emil: string;

beforeAll(async () => {
  ({ owner, stranger: newYorker } = await createOwnerAndStranger(t.db));
  await t.db.asSystem((tx) =>
    tx.brandSettings.createMany({
      data: [
        { userId: owner, timezone: "Europe/Berlin" },
        { userId: newYorker, timezone: "America/New_York" },
      ],
    }),
  );

  // Previous period: Cleo writes, then opts out.
  cleo = await leadWrites(owner, "Cleo", "Hi, what does the course cost?", "2026-03-20T10:00:00Z");
  await leadWrites(owner, "Cleo", "STOP", "2026-03-20T11:00:00Z");

  // Ben: replied to in 10 min, followed up (step 1) a day later, then writes twice: step 1 answered once.
  ben = await leadWrites(owner, "Ben", "Is the blue hoodie in stock?", "2026-03-25T09:00:00Z");
  await aiSends(t.db, { userId: owner, leadId: ben, key: "ben-reply", step: null, at: "2026-03-25T09:10:00Z" });
  await aiSends(t.db, { userId: owner, leadId: ben, key: "ben-step-1", step: 1, at: "2026-03-26T09:00:00Z" });
  await leadWrites(owner, "Ben", "Yes please, size M", "2026-03-26T12:00:00Z");
  await leadWrites(owner, "Ben", "And a second one in L", "2026-03-26T12:30:00Z");
  // Converted with a value, as the follow-up panel records it (converted_at, value, currency).
  await t.db.asUser(owner, (tx) =>
    tx.lead.update({
      where: { id: ben },
      data: { status: "converted", convertedAt: new Date("2026-03-27T10:00:00Z"), conversionValueMinor: 4_900n, conversionCurrency: "EUR" },
    }),
  );

  // Anna writes at 00:30 Berlin on the 29th (still the 28th in UTC), answered 30 min later, then writes twice.
  anna = await leadWrites(owner, "Anna", "Do you do gift cards?", "2026-03-28T23:30:00Z");
  await aiSends(t.db, { userId: owner, leadId: anna, key: "anna-reply", step: null, at: "2026-03-29T00:00:00Z" });
  await leadWrites(owner, "Anna", "Great, thanks!", "2026-03-29T08:00:00Z");
  await leadWrites(owner, "Anna", "One for 50 euros then", "2026-03-29T08:05:00Z");

  // Emil: answered in 5 min, but the send is unconfirmed and the reply flags him for the owner.
  emil = await leadWrites(owner, "Emil", "Do you ship to Norway?", "2026-03-30T08:00:00Z");
  await aiSends(t.db, { userId: owner, leadId: emil, key: "emil-reply", step: null, at: "2026-03-30T08:05:00Z", unconfirmed: true, needsOwner: true });

  // New York, around the night DST ends (Nov 1 has 25 hours): 00:30 EDT and 23:30 EST are both Nov 1.
  await leadWrites(newYorker, "Nia", "Hello!", "2026-11-01T04:30:00Z");
  await leadWrites(newYorker, "Noor", "Hi there", "2026-11-02T04:30:00Z");
});

describe("analytics.overview", () => {
  it("counts the last 7 days in the owner's zone against the 7 days before, as computed by hand", async () => {
    const overview = await callerAt(owner, NOW).analytics.overview({ range: { preset: "7d" } });
    expect(overview.period).toEqual({ from: "2026-03-24", to: "2026-03-30", timeZone: "Europe/Berlin" });
    expect(overview.previousPeriod).toEqual({ from: "2026-03-17", to: "2026-03-23" });

    const counts = Object.fromEntries(Object.entries(overview.counts).map(([key, figure]) => [key, [figure.current, figure.previous]]));
    expect(counts).toEqual({
      newLeads: [3, 1], // Ben, Anna, Emil | Cleo
      messagesIn: [7, 2], // Ben 3, Anna 3, Emil 1 | Cleo 2
      messagesOut: [4, 0],
      aiReplies: [3, 0],
      aiFollowUps: [1, 0],
      conversions: [1, 0],
      optOuts: [0, 1],
      deliveryProblems: [1, 0], // Emil's unconfirmed reply
    });
    expect(overview.counts.newLeads.comparison).toEqual({ direction: "up", difference: 2, relative: 2 });
  });

  it("gives reply rates that count a lead who wrote twice once, and rates per new lead", async () => {
    const overview = await callerAt(owner, NOW).analytics.overview({ range: { preset: "7d" } });
    // Answered: Anna's reply and Ben's step 1 (twice, counted once); not Ben's or Emil's reply. 2 of 4.
    expect(overview.rates.reply.current).toBe(0.5);
    expect(overview.rates.reply.previous).toBeNull();
    expect(overview.rates.conversion.current).toBeCloseTo(1 / 3);
    expect(overview.rates.optOut).toMatchObject({ current: 0, previous: 1 });
    expect(overview.conversionValues).toEqual([{ currency: "EUR", current: 4_900, previous: 0 }]);
    expect(overview.waitingForOwner).toBe(1);
  });

  it("reads time to first response from the histogram: 5, 10 and 30 min give p50 within 10 min, p90 within 30 min", async () => {
    const overview = await callerAt(owner, NOW).analytics.overview({ range: { preset: "7d" } });
    expect(overview.firstResponse.p50.current).toEqual({ kind: "within", seconds: 600 });
    expect(overview.firstResponse.p90.current).toEqual({ kind: "within", seconds: 1_800 });
    expect(overview.firstResponse.p50.previous).toBeNull();
  });

  it("refuses a custom range that ends in the future, in the owner's words", async () => {
    await expect(callerAt(owner, NOW).analytics.overview({ range: { from: "2026-03-01", to: "2026-03-31" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "The end date is in the future.",
    });
  });

  it("shows another owner nothing of this one's", async () => {
    const overview = await callerAt(newYorker, NOW).analytics.overview({ range: { preset: "7d" } });
    expect(overview.counts.newLeads).toMatchObject({ current: 0, previous: 0 });
    expect(overview.hasData).toBe(false);
  });
});

describe("analytics.series", () => {
  it("puts Anna on Berlin's 23-hour March 29, not on UTC's March 28", async () => {
    const series = await callerAt(owner, NOW).analytics.series({ range: { preset: "7d" } });
    expect(series.daily.map((day) => [day.date, day.newLeads])).toEqual([
      ["2026-03-24", 0],
      ["2026-03-25", 1],
      ["2026-03-26", 0],
      ["2026-03-27", 0],
      ["2026-03-28", 0],
      ["2026-03-29", 1],
      ["2026-03-30", 1],
    ]);
    expect(series.daily.find((day) => day.date === "2026-03-27")?.conversions).toBe(1);
    expect(series.newLeadsByChannel.find((day) => day.date === "2026-03-29")).toMatchObject({ sandbox: 1, instagram: 0 });
    expect(series.replyRateByStep).toEqual([
      { step: 0, sent: 3, answered: 1, rate: 1 / 3 },
      { step: 1, sent: 1, answered: 1, rate: 1 },
    ]);
  });

  it("counts both New York leads on the 25-hour November 1", async () => {
    const series = await callerAt(newYorker, new Date("2026-11-05T12:00:00Z")).analytics.series({ range: { from: "2026-10-31", to: "2026-11-02" } });
    expect(series.daily.map((day) => [day.date, day.newLeads])).toEqual([
      ["2026-10-31", 0],
      ["2026-11-01", 2],
      ["2026-11-02", 0],
    ]);
  });
});

describe("leads.list drill-downs", () => {
  const ids = async (activity: { kind: "created" | "messaged" | "ai_messaged" | "converted" | "opted_out" | "delivery_problem"; from: string; to: string }) =>
    new Set((await callerAt(owner, NOW).leads.list({ activity })).items.map((lead) => lead.id));
  const week = { from: "2026-03-24", to: "2026-03-30" };

  it("lists the leads behind each tile, on the same local days", async () => {
    expect(await ids({ kind: "created", ...week })).toEqual(new Set([ben, anna, emil]));
    expect(await ids({ kind: "converted", ...week })).toEqual(new Set([ben]));
    expect(await ids({ kind: "delivery_problem", ...week })).toEqual(new Set([emil]));
    expect(await ids({ kind: "ai_messaged", ...week })).toEqual(new Set([ben, anna, emil]));
    expect(await ids({ kind: "opted_out", from: "2026-03-17", to: "2026-03-23" })).toEqual(new Set([cleo]));
    // Anna's first message was 00:30 on Berlin's March 29: a list of March 28 does not show her.
    expect(await ids({ kind: "created", from: "2026-03-28", to: "2026-03-28" })).toEqual(new Set());
    expect(await ids({ kind: "messaged", from: "2026-03-29", to: "2026-03-29" })).toEqual(new Set([anna]));
  });
});
