import { beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../src/admin/index.ts";
import { BRAND_SETTINGS_DEFAULTS, getBrandSettings, updateBrandSettings, type BrandSettingsValues } from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

const saved: BrandSettingsValues = {
  brandName: "Lumen Yoga",
  voiceRules: "Warm, short sentences. Never use emojis.",
  timezone: "Europe/Berlin",
  quietHoursStart: "22:00",
  quietHoursEnd: "07:30",
  followUpStepsMinutes: [120, 2880],
  delayMinMinutes: 5,
  delayMaxMinutes: 45,
  voiceEnabled: true,
  disclosureEnabled: true,
  whatsappTemplateName: "follow_up_1",
  ownerReplyPausesAi: false,
};

describe("brand settings", () => {
  it("gives an owner who never saved exactly what the database would apply", async () => {
    expect(await getBrandSettings(t.db, { userId: owner })).toEqual({ ...BRAND_SETTINGS_DEFAULTS, updatedAt: null });
    // The defaults are a copy of the column defaults: insert a bare row and compare.
    const bare = await withClient(t.adminUrl, async (client) => {
      const { rows } = await client.query(
        `WITH inserted AS (INSERT INTO brand_settings (user_id) VALUES ($1) RETURNING *) SELECT * FROM inserted`,
        [stranger],
      );
      await client.query("DELETE FROM brand_settings WHERE user_id = $1", [stranger]);
      return rows[0] as Record<string, unknown>;
    });
    expect({
      brandName: bare.brand_name,
      voiceRules: bare.voice_rules,
      timezone: bare.timezone,
      quietHoursStart: bare.quiet_hours_start,
      quietHoursEnd: bare.quiet_hours_end,
      followUpStepsMinutes: bare.follow_up_steps_minutes,
      delayMinMinutes: bare.delay_min_minutes,
      delayMaxMinutes: bare.delay_max_minutes,
      voiceEnabled: bare.voice_enabled,
      disclosureEnabled: bare.disclosure_enabled,
      whatsappTemplateName: bare.whatsapp_template_name,
      ownerReplyPausesAi: bare.owner_reply_pauses_ai,
    }).toEqual(BRAND_SETTINGS_DEFAULTS);
  });

  it("saves, overwrites and audits the owner's settings", async () => {
    const first = await updateBrandSettings(t.db, { userId: owner, input: saved });
    expect(first).toEqual({ ...saved, updatedAt: expect.any(Date) });
    const second = await updateBrandSettings(t.db, { userId: owner, input: { ...saved, voiceEnabled: false, brandName: null } });
    expect(second).toMatchObject({ voiceEnabled: false, brandName: null });
    expect(await getBrandSettings(t.db, { userId: owner })).toEqual(second);
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { action: "brand_settings.updated" } }));
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain("Never use emojis");
  });

  it("keeps each owner's settings to themselves", async () => {
    await updateBrandSettings(t.db, { userId: owner, input: saved });
    expect(await getBrandSettings(t.db, { userId: stranger })).toEqual({ ...BRAND_SETTINGS_DEFAULTS, updatedAt: null });
    // A stranger writing "their" settings creates their own row and leaves the owner's untouched.
    await updateBrandSettings(t.db, { userId: stranger, input: { ...saved, brandName: "Other Shop" } });
    expect((await getBrandSettings(t.db, { userId: owner })).brandName).toBe("Lumen Yoga");
    const visible = await t.db.asUser(stranger, (tx) => tx.brandSettings.findMany({ select: { userId: true } }));
    expect(visible).toEqual([{ userId: stranger }]);
  });
});
