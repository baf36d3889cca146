import { FOLLOW_UP_JOBS, STEP_REMOVED_REASON, stepJobKey } from "@audnix/core";
import { BRAND_SETTINGS_DEFAULTS, updateBrandSettings } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, createOwner, followUpsOf, HOUR_MS, jobsWithKey, leadWrote, MINUTE_MS, outboundMessages, saveBrand, type Engine } from "./follow-up-fixtures.ts";

// Saving new timing on the settings page moves the follow-ups already planned (issue 11): the real
// settings write queues followup:replan, the real worker runs it and then the moved step itself.

const t = useTestDatabase();
let engine: Engine;
/** The engine's clock: three hours in the past, so a step re-planned to "30 min after the reply" is due. */
let clock: Date;

beforeAll(() => {
  engine = createEngine(t.db, { now: () => clock });
});

/** The owner saves the settings form with these steps (no quiet hours, no extra delay: exact times). */
function ownerSavesSteps(owner: string, followUpStepsMinutes: number[], brandName: string | null = null) {
  return updateBrandSettings(t.db, {
    userId: owner,
    input: { ...BRAND_SETTINGS_DEFAULTS, brandName, quietHoursStart: "00:00", quietHoursEnd: "00:00", followUpStepsMinutes, delayMinMinutes: 0, delayMaxMinutes: 0 },
  });
}

/**
 * A sandbox lead wrote ten minutes before the clock (a statement: a question nobody answered would
 * hold the steps for the owner); the reply goes out at the clock. Returns the lead and the reply's time.
 */
async function repliedLead(owner: string, senderId: string): Promise<{ leadId: string; repliedAt: Date }> {
  clock = new Date(Date.now() - 3 * HOUR_MS);
  const leadId = await leadWrote(t.db, owner, { channel: "sandbox", accountId: owner, senderId, senderName: "Maria Garcia", text: "I am thinking about a month of classes.", ago: 3 * HOUR_MS + 10 * MINUTE_MS });
  await engine.runDueJobs();
  const [reply] = await outboundMessages(t.db, owner, leadId);
  expect(reply?.sentAt).toEqual(clock);
  return { leadId, repliedAt: clock };
}

const planned = async (owner: string, leadId: string) => (await followUpsOf(t.db, owner, leadId)).filter((row) => row.status === "planned");

describe("changing the follow-up steps", () => {
  it("moves the planned step and its job, and the step goes out at its new time", async () => {
    const owner = await createOwner(t.db);
    await saveBrand(t.db, owner, { followUpStepsMinutes: [1440, 2880] });
    const { leadId, repliedAt } = await repliedLead(owner, "sandbox-replan-move");
    const [step1] = await planned(owner, leadId);
    expect(step1).toMatchObject({ step: 1 });
    expect(step1!.plannedAt.getTime()).toBeGreaterThan(repliedAt.getTime() + 24 * HOUR_MS);

    // Later, not earlier: the row and the job move to reply + 10 h, still ahead of the real clock.
    await ownerSavesSteps(owner, [600, 2880]);
    expect(await jobsWithKey(t.db, `${FOLLOW_UP_JOBS.replan}:${owner}`)).toHaveLength(1);
    await engine.runDueJobs();
    const tenHoursAfter = new Date(repliedAt.getTime() + 10 * HOUR_MS);
    expect(await planned(owner, leadId)).toMatchObject([{ id: step1!.id, step: 1, plannedAt: tenHoursAfter }]);
    expect((await jobsWithKey(t.db, stepJobKey(leadId, 1))).map((job) => job.run_at)).toEqual([tenHoursAfter]);
    expect(await outboundMessages(t.db, owner, leadId)).toHaveLength(1);

    // Sooner: 30 min after the reply is in the past of the real clock, so the worker sends it now.
    await ownerSavesSteps(owner, [30, 2880]);
    clock = new Date(repliedAt.getTime() + 30 * MINUTE_MS);
    await engine.runDueJobs();
    const sent = await outboundMessages(t.db, owner, leadId);
    expect(sent.map((message) => [message.followUpStep, message.sentAt])).toEqual([
      [null, repliedAt],
      [1, clock],
    ]);
    // The next step is planned by the new sequence: 2880 - 30 min after step 1.
    expect(await planned(owner, leadId)).toMatchObject([{ step: 2, plannedAt: new Date(clock.getTime() + 2850 * MINUTE_MS) }]);
  });

  it("cancels a planned step the shorter sequence no longer has, with the reason, and removes its job", async () => {
    const owner = await createOwner(t.db);
    await ownerSavesSteps(owner, [30, 1440]);
    const { leadId, repliedAt } = await repliedLead(owner, "sandbox-replan-cancel");
    // Step 1 (30 min after the reply) was due on the real clock and went out (at the engine's clock,
    // still the reply's time); step 2 is planned 1440 - 30 min after it.
    expect((await outboundMessages(t.db, owner, leadId)).map((message) => message.followUpStep)).toEqual([null, 1]);
    const [step2] = await planned(owner, leadId);
    expect(step2).toMatchObject({ step: 2, plannedAt: new Date(repliedAt.getTime() + 1410 * MINUTE_MS) });

    await ownerSavesSteps(owner, [30]);
    await engine.runDueJobs();
    const rows = await followUpsOf(t.db, owner, leadId);
    expect(rows.find((row) => row.id === step2!.id)).toMatchObject({ status: "cancelled", reason: STEP_REMOVED_REASON });
    expect(await jobsWithKey(t.db, stepJobKey(leadId, 2))).toEqual([]);
    expect(engine.lines).toContainEqual(expect.objectContaining({ msg: "follow-ups re-planned", moved: 0, cancelled: 1 }));
  });

  it("leaves the steps alone when only the brand's words change", async () => {
    const owner = await createOwner(t.db);
    await ownerSavesSteps(owner, [1440]);
    const { leadId } = await repliedLead(owner, "sandbox-replan-none");
    const before = await planned(owner, leadId);
    await ownerSavesSteps(owner, [1440], "Lumen Yoga");
    expect(await jobsWithKey(t.db, `${FOLLOW_UP_JOBS.replan}:${owner}`)).toEqual([]);
    expect(await planned(owner, leadId)).toEqual(before);
  });
});
