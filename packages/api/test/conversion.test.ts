import { FOLLOW_UP_JOBS, stepJobKey } from "@audnix/core";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");
const LATER = new Date("2026-05-01T12:05:00.000Z");

const t = useTestDatabase();
let owner: string;
let stranger: string;
let leadId: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

const callerFor = (userId: string, now = NOW) => createCaller(createTrpcContext({ db: t.db, userId, now: () => now, generator: null }));

const leadRow = () =>
  t.db.asUser(owner, (tx) =>
    tx.lead.findUniqueOrThrow({
      where: { id: leadId },
      select: { status: true, convertedAt: true, conversionValueMinor: true, conversionCurrency: true, statusBeforeConversion: true },
    }),
  );

beforeEach(async () => {
  await t.db.asSystem(async (tx) => {
    await tx.lead.deleteMany();
    await tx.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
  });
  ({ leadId } = await callerFor(owner).sandbox.simulateInbound({ name: "Maria Lopez", text: "Can I book a table for Friday?" }));
  await t.db.asSystem((tx) => tx.lead.update({ where: { id: leadId }, data: { status: "replied" } }));
});

describe("followUps.markConverted with a value", () => {
  it("keeps when, what it was worth in minor units, and the status it had", async () => {
    expect(await callerFor(owner).followUps.markConverted({ leadId, value: "1250.50", currency: "eur" })).toMatchObject({ alreadyConverted: false });
    expect(await leadRow()).toEqual({
      status: "converted",
      convertedAt: NOW,
      conversionValueMinor: 125050n,
      conversionCurrency: "EUR",
      statusBeforeConversion: "replied",
    });
    const panel = await callerFor(owner).followUps.forLead({ leadId });
    expect(panel).toMatchObject({ idle: "converted", conversion: { convertedAt: NOW, valueMinor: 125050, currency: "EUR" }, defaultCurrency: "EUR" });
  });

  it("records no value when the value is blank, and starts new values in USD", async () => {
    expect((await callerFor(owner).followUps.forLead({ leadId })).defaultCurrency).toBe("USD");
    await callerFor(owner).followUps.markConverted({ leadId, value: " ", currency: "EUR" });
    expect(await leadRow()).toMatchObject({ status: "converted", conversionValueMinor: null, conversionCurrency: null });
    expect((await callerFor(owner).followUps.forLead({ leadId })).conversion).toEqual({ convertedAt: NOW, valueMinor: null, currency: null });
  });

  it("refuses a value the currency cannot hold, naming the field, and changes nothing", async () => {
    for (const [value, currency, path, message] of [
      ["10.999", "USD", "value", "USD has at most 2 decimals."],
      ["5000.5", "JPY", "value", "JPY has no decimals."],
      ["-5", "USD", "value", "Write the value with digits and a point for decimals, e.g. 1250.50."],
      ["10", "ABC", "currency", "Choose a currency by its ISO 4217 code, e.g. USD or EUR."],
    ] as const) {
      const refused = await callerFor(owner).followUps.markConverted({ leadId, value, currency }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: "BAD_REQUEST" });
      const issues = (refused as { cause?: { issues?: { path: string[]; message: string }[] } }).cause?.issues;
      expect(issues?.map((issue) => [issue.path.join("."), issue.message])).toEqual([[path, message]]);
    }
    expect(await leadRow()).toMatchObject({ status: "replied", convertedAt: null, conversionValueMinor: null });
  });

  it("marks a converted lead again without changing its first conversion", async () => {
    await callerFor(owner).followUps.markConverted({ leadId, value: "80", currency: "GBP" });
    expect(await callerFor(owner, LATER).followUps.markConverted({ leadId, value: "99", currency: "USD" })).toEqual({ cancelledSteps: 0, alreadyConverted: true });
    expect(await leadRow()).toMatchObject({ convertedAt: NOW, conversionValueMinor: 8000n, conversionCurrency: "GBP", statusBeforeConversion: "replied" });
  });
});

describe("followUps.undoConverted", () => {
  it("gives the lead back its status and clears the conversion; cancelled steps stay cancelled", async () => {
    await t.db.asSystem(async (tx) => {
      const plannedAt = new Date(NOW.getTime() + 3_600_000);
      const row = await tx.followUp.create({ data: { userId: owner, leadId, step: 1, channel: "sandbox", plannedAt, jobKey: stepJobKey(leadId, 1) } });
      await tx.$executeRaw`SELECT graphile_worker.add_job(${FOLLOW_UP_JOBS.step},
        json_build_object('followUpId', ${row.id}::uuid, 'userId', ${owner}::uuid), run_at := ${plannedAt}, job_key := ${stepJobKey(leadId, 1)})`;
    });
    expect(await callerFor(owner).followUps.markConverted({ leadId, value: "40", currency: "USD" })).toMatchObject({ cancelledSteps: 1 });

    expect(await callerFor(owner, LATER).followUps.undoConverted({ leadId })).toEqual({ restoredStatus: "replied" });
    expect(await leadRow()).toEqual({ status: "replied", convertedAt: null, conversionValueMinor: null, conversionCurrency: null, statusBeforeConversion: null });
    const panel = await callerFor(owner, LATER).followUps.forLead({ leadId });
    expect(panel.conversion).toBeNull();
    expect(panel.history.map((row) => [row.step, row.status])).toEqual([[1, "cancelled"]]);
    const audit = await t.db.asSystem((tx) => tx.auditLog.findMany({ where: { target: leadId }, orderBy: { createdAt: "asc" }, select: { action: true } }));
    expect(audit.map((row) => row.action)).toEqual(["lead.converted", "lead.conversion_undone"]);
  });

  it("refuses to undo a lead that is not converted, and another owner's lead", async () => {
    await expect(callerFor(owner).followUps.undoConverted({ leadId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "This lead is not marked as converted: there is nothing to undo.",
    });
    await callerFor(owner).followUps.markConverted({ leadId });
    await expect(callerFor(stranger).followUps.undoConverted({ leadId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await leadRow()).status).toBe("converted");
  });
});
