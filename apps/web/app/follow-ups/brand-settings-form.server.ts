import type { RouterInputs } from "@audnix/api/client";
import { parseStepDurations } from "@audnix/core";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { firstErrorPerField } from "../field-errors.server.ts";
import { createServerCaller } from "../trpc.server.ts";

type BrandSettingsUpdate = RouterInputs["brandSettings"]["update"];

export type BrandSettingsField = keyof BrandSettingsUpdate;

export type BrandSettingsFormResult =
  | { ok: true }
  | { ok: false; errors: Partial<Record<BrandSettingsField, string>>; message: string };

const text = z.string().catch("");
// Number inputs arrive as text; a blank or garbled one becomes NaN, which the API rejects by name.
const minutes = z.string().transform((value) => (value.trim() === "" ? Number.NaN : Number(value))).catch(Number.NaN);

const formSchema = z.object({
  brandName: text,
  voiceRules: text,
  timezone: text,
  quietHoursStart: text,
  quietHoursEnd: text,
  steps: text,
  delayMinMinutes: minutes,
  delayMaxMinutes: minutes,
  // An unticked checkbox is simply absent from the form.
  voiceEnabled: z.literal("on").optional().catch(undefined),
  disclosureEnabled: z.literal("on").optional().catch(undefined),
  noQuietHours: z.literal("on").optional().catch(undefined),
  whatsappTemplateName: text,
  ownerReply: z.enum(["pause", "keep"]).catch("pause"),
});

const INVALID = "Some settings need fixing before they can be saved.";

/** The settings page's POST: the form's text to the API's shape, the API's complaints back to fields. */
export async function saveBrandSettingsForm(userId: string, form: FormData): Promise<BrandSettingsFormResult> {
  const values = formSchema.parse(Object.fromEntries(form));
  const steps = parseStepDurations(values.steps);
  const input: BrandSettingsUpdate = {
    brandName: values.brandName,
    voiceRules: values.voiceRules,
    timezone: values.timezone,
    quietHoursStart: values.quietHoursStart,
    quietHoursEnd: values.quietHoursEnd,
    noQuietHours: values.noQuietHours === "on",
    followUpStepsMinutes: steps.ok ? steps.minutes : [],
    delayMinMinutes: values.delayMinMinutes,
    delayMaxMinutes: values.delayMaxMinutes,
    voiceEnabled: values.voiceEnabled === "on",
    disclosureEnabled: values.disclosureEnabled === "on",
    whatsappTemplateName: values.whatsappTemplateName,
    ownerReplyPausesAi: values.ownerReply === "pause",
  };
  try {
    await createServerCaller(userId).brandSettings.update(input);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof TRPCError && error.code === "BAD_REQUEST")) throw error;
    if (!(error.cause instanceof z.ZodError)) return { ok: false, errors: {}, message: error.message };
    const errors = firstErrorPerField<BrandSettingsField>(error.cause);
    // Unreadable steps went to the API as an empty list (always refused, so nothing was saved and
    // every other field was still checked); the parser's message says what was wrong with the text.
    if (!steps.ok) errors.followUpStepsMinutes = steps.error;
    return { ok: false, errors, message: INVALID };
  }
}
