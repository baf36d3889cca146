import { isValidTimeZone, NO_QUIET_HOURS, stepMinutesProblem, TIME_ZONE_MAX_CHARS } from "@audnix/core";
import { z } from "zod";

const DAY_MINUTES = 24 * 60;

const clockTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "Use 24-hour time such as 21:00." });

/** Blank optional text means "not set". */
const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, { error: tooLong })
    .nullable()
    .transform((value) => (value === null || value === "" ? null : value));

const delayMinutes = z
  .number({ error: "Enter a number of minutes." })
  .int({ error: "Use whole minutes." })
  .min(0, { error: "The delay cannot be negative." })
  .max(DAY_MINUTES, { error: "Keep the delay within 24 hours (1440 minutes)." });

export const updateBrandSettingsInput = z
  .object({
    brandName: optionalText(80, "Keep the brand name under 80 characters."),
    voiceRules: z.string().trim().max(2000, { error: "Keep the voice rules under 2,000 characters." }),
    timezone: z
      .string()
      .trim()
      .refine((zone) => isValidTimeZone(zone), { error: "Pick a time zone such as Europe/Berlin or America/New_York." }),
    quietHoursStart: clockTime,
    quietHoursEnd: clockTime,
    /** Follow-ups at any hour: stored as equal ends (NO_QUIET_HOURS), which hold no minute. */
    noQuietHours: z.boolean().default(false),
    followUpStepsMinutes: z.array(z.number()).superRefine((minutes, ctx) => {
      const problem = stepMinutesProblem(minutes);
      if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
    }),
    delayMinMinutes: delayMinutes,
    delayMaxMinutes: delayMinutes,
    voiceEnabled: z.boolean(),
    disclosureEnabled: z.boolean(),
    ownerReplyPausesAi: z.boolean(),
    // Meta's rule for template names: lowercase letters, digits and underscores.
    whatsappTemplateName: optionalText(512, "Keep the template name under 512 characters.").refine(
      (name) => name === null || /^[a-z0-9_]+$/.test(name),
      { error: "Use the template's exact name: lowercase letters, digits and underscores." },
    ),
  })
  .refine((input) => input.delayMinMinutes <= input.delayMaxMinutes, {
    path: ["delayMaxMinutes"],
    error: "The longest delay must be at least the shortest.",
  })
  // Equal ends would read as "quiet all day" to an owner, while the engine treats them as no quiet
  // hours at all: say which one is meant.
  .refine((input) => input.noQuietHours || input.quietHoursStart !== input.quietHoursEnd, {
    path: ["quietHoursEnd"],
    error: "Start and end must differ; to allow any hour, tick \"No quiet hours\".",
  })
  .transform(({ noQuietHours, ...values }) =>
    noQuietHours ? { ...values, quietHoursStart: NO_QUIET_HOURS.start, quietHoursEnd: NO_QUIET_HOURS.end } : values,
  );

/** The browser's zone, sent once after the first sign-in (brandSettings.adoptBrowserTimeZone). */
export const adoptBrowserTimeZoneInput = z.object({
  timeZone: z
    .string()
    .max(TIME_ZONE_MAX_CHARS)
    .refine((zone) => isValidTimeZone(zone), { error: "Not a time zone." }),
});

export type AdoptBrowserTimeZoneInput = z.output<typeof adoptBrowserTimeZoneInput>;

export type UpdateBrandSettingsInput = z.output<typeof updateBrandSettingsInput>;
