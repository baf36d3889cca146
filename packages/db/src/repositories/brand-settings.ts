import { DEFAULT_FOLLOW_UP_SETTINGS, type FollowUpSettings } from "@audnix/core";
import type { Db } from "../client.ts";

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

/** Saves the whole form (validated by the caller) and records who changed what in the audit log. */
export function updateBrandSettings(
  db: Db,
  { userId, input }: { userId: string; input: BrandSettingsValues },
): Promise<BrandSettings> {
  return db.asUser(userId, async (tx) => {
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
    return saved;
  });
}
