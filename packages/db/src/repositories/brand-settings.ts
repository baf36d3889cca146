import { DEFAULT_FOLLOW_UP_SETTINGS, type FollowUpSettings } from "@audnix/core";
import type { Db } from "../client.ts";
import { queueFollowUpReplan } from "./follow-up-replan.ts";

/** What an owner sets for their brand; the follow-up engine reads the same row. */
export interface BrandSettingsValues extends FollowUpSettings {
  brandName: string | null;
  voiceRules: string;
  voiceEnabled: boolean;
  disclosureEnabled: boolean;
  whatsappTemplateName: string | null;
  /** The owner's own reply pauses the AI for that lead (true, the default) or leaves its follow-ups planned. */
  ownerReplyPausesAi: boolean;
}

export interface BrandSettings extends BrandSettingsValues {
  /** null until the owner saves the form for the first time. */
  updatedAt: Date | null;
}

// The column defaults of brand_settings: core holds the policy's part (and a test ties it to the
// schema); brand-settings.test.ts compares the whole set with a bare row.
export const BRAND_SETTINGS_DEFAULTS: BrandSettingsValues = {
  ...DEFAULT_FOLLOW_UP_SETTINGS,
  followUpStepsMinutes: [...DEFAULT_FOLLOW_UP_SETTINGS.followUpStepsMinutes],
  brandName: null,
  voiceRules: "",
  voiceEnabled: false,
  disclosureEnabled: false,
  whatsappTemplateName: null,
  ownerReplyPausesAi: true,
};

const selectValues = {
  brandName: true,
  voiceRules: true,
  timezone: true,
  quietHoursStart: true,
  quietHoursEnd: true,
  followUpStepsMinutes: true,
  delayMinMinutes: true,
  delayMaxMinutes: true,
  voiceEnabled: true,
  disclosureEnabled: true,
  whatsappTemplateName: true,
  ownerReplyPausesAi: true,
  updatedAt: true,
} as const;

export async function getBrandSettings(db: Db, { userId }: { userId: string }): Promise<BrandSettings> {
  const row = await db.asUser(userId, (tx) => tx.brandSettings.findUnique({ where: { userId }, select: selectValues }));
  return row ?? { ...BRAND_SETTINGS_DEFAULTS, updatedAt: null };
}

/** The settings a planned step's time depends on (planStepTime): a change to any re-plans the steps. */
const TIMING_FIELDS = ["timezone", "quietHoursStart", "quietHoursEnd", "followUpStepsMinutes", "delayMinMinutes", "delayMaxMinutes"] as const;

function timingChanged(before: FollowUpSettings, after: FollowUpSettings): boolean {
  return TIMING_FIELDS.some((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/**
 * A zone change regroups the owner's analytics rollups by their new local days inside this
 * transaction (docs/decisions/0030): about 7 s for an owner with a million messages, past Prisma's
 * default 5 s. The ceiling is generous; ordinary saves take milliseconds.
 */
const SAVE_TIMEOUT_MS = 120_000;

/**
 * Saves the whole form (validated by the caller) and records who changed what in the audit log.
 * When the timing changed, the follow-ups already planned are planned again (followup:replan,
 * queued in this transaction).
 */
export function updateBrandSettings(
  db: Db,
  { userId, input }: { userId: string; input: BrandSettingsValues },
): Promise<BrandSettings> {
  return db.asUser(userId, async (tx) => {
    const before = (await tx.brandSettings.findUnique({ where: { userId }, select: selectValues })) ?? BRAND_SETTINGS_DEFAULTS;
    const saved = await tx.brandSettings.upsert({
      where: { userId },
      create: { userId, ...input },
      update: input,
      select: selectValues,
    });
    // Field names only: voice rules can be long and are the owner's content, not audit material.
    await tx.auditLog.create({
      data: { userId, actor: "owner", action: "brand_settings.updated", target: userId, data: { fields: Object.keys(input) } },
    });
    if (timingChanged(before, saved)) await queueFollowUpReplan(tx, userId);
    return saved;
  }, { timeoutMs: SAVE_TIMEOUT_MS });
}

/**
 * The owner's browser zone (validated by the caller) becomes the brand's zone, once: only while
 * the owner has never saved the settings (no row yet). True when it was taken.
 */
export function adoptBrowserTimeZone(db: Db, { userId, timeZone }: { userId: string; timeZone: string }): Promise<boolean> {
  return db.asUser(userId, async (tx) => {
    const created = await tx.brandSettings.createManyAndReturn({ data: [{ userId, timezone: timeZone }], skipDuplicates: true, select: { userId: true } });
    if (created.length === 0) return false;
    await tx.auditLog.create({
      data: { userId, actor: "owner", action: "brand_settings.time_zone_from_browser", target: userId, data: { timezone: timeZone } },
    });
    await queueFollowUpReplan(tx, userId);
    return true;
  });
}
