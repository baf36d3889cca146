import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { FOLLOW_UP_JOBS, replanJobKey } from "@audnix/core";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createCaller, createTrpcContext, type RouterInputs } from "../src/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

const callerFor = (userId: string | null, voiceNotesAvailable = false) =>
  createCaller(createTrpcContext({ db: t.db, userId, voiceNotesAvailable }));

type Update = RouterInputs["brandSettings"]["update"];

const valid: Update = {
  brandName: "  Lumen Yoga ",
  voiceRules: "Warm and brief. Never promise discounts.",
  timezone: "Europe/Madrid",
  quietHoursStart: "22:00",
  quietHoursEnd: "07:30",
  followUpStepsMinutes: [60, 1440, 4320],
  delayMinMinutes: 5,
  delayMaxMinutes: 30,
  voiceEnabled: false,
  disclosureEnabled: true,
  whatsappTemplateName: "follow_up_1",
  ownerReplyPausesAi: true,
};

/** The field names a rejected update complains about, with the first message for each. */
async function fieldErrors(input: Update, voice = false): Promise<Record<string, string | undefined>> {
  const error = await callerFor(owner, voice).brandSettings.update(input).then(
    () => null,
    (caught: unknown) => caught as { code: string; cause?: unknown },
  );
  expect(error?.code).toBe("BAD_REQUEST");
  expect(error?.cause).toBeInstanceOf(z.ZodError);
  const fieldErrors: Record<string, string[] | undefined> = z.flattenError(error?.cause as z.ZodError).fieldErrors;
  return Object.fromEntries(Object.entries(fieldErrors).map(([field, messages]) => [field, messages?.[0]]));
}

describe("brandSettings", () => {
  it("shows the defaults before the first save, and whether voice notes exist on this server", async () => {
    const { settings, voiceNotesAvailable } = await callerFor(owner).brandSettings.get();
    expect(voiceNotesAvailable).toBe(false);
    expect(settings).toMatchObject({ timezone: "UTC", followUpStepsMinutes: [60, 1440, 4320], updatedAt: null });
    expect((await callerFor(owner, true).brandSettings.get()).voiceNotesAvailable).toBe(true);
  });

  it("saves the form and shows it back, trimmed; the other owner still sees the defaults", async () => {
    await callerFor(owner).brandSettings.update(valid);
    const { settings } = await callerFor(owner).brandSettings.get();
    expect(settings).toMatchObject({ ...valid, brandName: "Lumen Yoga", updatedAt: expect.any(Date) });
    expect((await callerFor(stranger).brandSettings.get()).settings).toMatchObject({ brandName: null, timezone: "UTC" });
  });

  it("turns blank optional fields into 'not set'", async () => {
    await callerFor(owner).brandSettings.update({ ...valid, brandName: "  ", whatsappTemplateName: "" });
    expect((await callerFor(owner).brandSettings.get()).settings).toMatchObject({ brandName: null, whatsappTemplateName: null });
  });

  it("names each invalid field with a message an owner can act on, and saves nothing", async () => {
    await callerFor(owner).brandSettings.update(valid);
    expect(
      await fieldErrors({
        ...valid,
        voiceRules: "x".repeat(2001),
        timezone: "Mars/Olympus",
        quietHoursStart: "25:00",
        followUpStepsMinutes: [1440, 60],
        delayMinMinutes: 60,
        delayMaxMinutes: 30,
        whatsappTemplateName: "Follow Up!",
      }),
    ).toEqual({
      voiceRules: "Keep the voice rules under 2,000 characters.",
      timezone: "Pick a time zone such as Europe/Berlin or America/New_York.",
      quietHoursStart: "Use 24-hour time such as 21:00.",
      followUpStepsMinutes: "Step 2 (1h) must come after step 1 (1d).",
      whatsappTemplateName: "Use the template's exact name: lowercase letters, digits and underscores.",
      delayMaxMinutes: "The longest delay must be at least the shortest.",
    });
    expect(await fieldErrors({ ...valid, delayMinMinutes: 60, delayMaxMinutes: 30 })).toEqual({
      delayMaxMinutes: "The longest delay must be at least the shortest.",
    });
    expect(await fieldErrors({ ...valid, followUpStepsMinutes: [] })).toEqual({ followUpStepsMinutes: "Add at least one follow-up step." });
    expect(await fieldErrors({ ...valid, delayMaxMinutes: 1441 })).toEqual({
      delayMaxMinutes: "Keep the delay within 24 hours (1440 minutes).",
    });
    expect((await callerFor(owner).brandSettings.get()).settings).toMatchObject({ timezone: "Europe/Madrid", delayMaxMinutes: 30 });
  });

  it("refuses voice notes when the server cannot make them", async () => {
    await expect(callerFor(owner).brandSettings.update({ ...valid, voiceEnabled: true })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Voice notes are not enabled on this server.",
    });
    await callerFor(owner, true).brandSettings.update({ ...valid, voiceEnabled: true });
    expect((await callerFor(owner).brandSettings.get()).settings.voiceEnabled).toBe(true);
  });

  it("requires a signed-in owner", async () => {
    await expect(callerFor(null).brandSettings.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(callerFor(null).brandSettings.update(valid)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("brandSettings quiet hours", () => {
  it("refuses equal start and end with what to do instead, and saves 'No quiet hours' as the engine's none", async () => {
    expect(await fieldErrors({ ...valid, quietHoursStart: "21:00", quietHoursEnd: "21:00" })).toEqual({
      quietHoursEnd: 'Start and end must differ; to allow any hour, tick "No quiet hours".',
    });
    await callerFor(owner).brandSettings.update({ ...valid, quietHoursStart: "21:00", quietHoursEnd: "21:00", noQuietHours: true });
    expect((await callerFor(owner).brandSettings.get()).settings).toMatchObject({ quietHoursStart: "00:00", quietHoursEnd: "00:00" });
  });
});

describe("brandSettings re-plans follow-ups", () => {
  const replanJobs = async () => {
    const { rows } = await t.db.pool.query<{ key: string }>("SELECT key FROM graphile_worker.jobs WHERE task_identifier = $1", [FOLLOW_UP_JOBS.replan]);
    return rows.map((row) => row.key);
  };

  it("queues one followup:replan for the owner when the timing changes, none for other fields", async () => {
    await callerFor(owner).brandSettings.update(valid);
    await t.db.pool.query("DELETE FROM graphile_worker._private_jobs");
    await callerFor(owner).brandSettings.update({ ...valid, brandName: "Lumen Studio", voiceRules: "Short." });
    expect(await replanJobs()).toEqual([]);
    await callerFor(owner).brandSettings.update({ ...valid, followUpStepsMinutes: [30, 120] });
    await callerFor(owner).brandSettings.update({ ...valid, followUpStepsMinutes: [30, 120], delayMaxMinutes: 45 });
    expect(await replanJobs()).toEqual([replanJobKey(owner)]);
  });
});

describe("brandSettings.adoptBrowserTimeZone", () => {
  it("takes the browser's zone once, only for an owner who never saved, and refuses what is not a zone", async () => {
    const fresh = await t.db.asSystem((tx) => tx.user.create({ data: { email: "fresh-owner@shop.example" } }));
    await expect(callerFor(fresh.id).brandSettings.adoptBrowserTimeZone({ timeZone: "Mars/Olympus" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await callerFor(fresh.id).brandSettings.adoptBrowserTimeZone({ timeZone: "America/Sao_Paulo" })).toEqual({ adopted: true });
    expect((await callerFor(fresh.id).brandSettings.get()).settings).toMatchObject({ timezone: "America/Sao_Paulo", followUpStepsMinutes: [60, 1440, 4320] });
    // A second browser (another zone) later changes nothing, nor does it touch an owner who saved.
    expect(await callerFor(fresh.id).brandSettings.adoptBrowserTimeZone({ timeZone: "Asia/Tokyo" })).toEqual({ adopted: false });
    await callerFor(owner).brandSettings.update(valid);
    expect(await callerFor(owner).brandSettings.adoptBrowserTimeZone({ timeZone: "Asia/Tokyo" })).toEqual({ adopted: false });
    expect((await callerFor(owner).brandSettings.get()).settings.timezone).toBe("Europe/Madrid");
    await expect(callerFor(null).brandSettings.adoptBrowserTimeZone({ timeZone: "Asia/Tokyo" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
