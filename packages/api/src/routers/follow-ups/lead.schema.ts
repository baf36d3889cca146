import { CONVERSION_VALUE_MAX_CHARS, DEFAULT_CONVERSION_CURRENCY, parseConversionValue } from "@audnix/core";
import { z } from "zod";

/** Every follow-up control acts on one lead. */
export const leadInput = z.object({ leadId: z.uuid() });

export const resumeInput = leadInput.extend({
  /** Also queue the next follow-up at once; otherwise the lead's next message restarts the sequence. */
  followUpNow: z.boolean().default(false),
});

/** `step`: the step the page showed as next; a request for a step that went out meanwhile is a no-op. */
export const followUpNowInput = leadInput.extend({ step: z.number().int().min(1).max(1000).optional() });

export type LeadInput = z.output<typeof leadInput>;
export type FollowUpNowInput = z.output<typeof followUpNowInput>;
export type ResumeInput = z.output<typeof resumeInput>;

/**
 * "Mark as converted", optionally with what the lead was worth: `value` a decimal (>= 0, at most the
 * currency's decimals), `currency` ISO 4217 (USD when left out). A blank value records none.
 */
export const markConvertedInput = leadInput
  .extend({
    value: z.string().max(CONVERSION_VALUE_MAX_CHARS, "That value is too large.").optional(),
    currency: z.string().max(8).optional(),
  })
  .transform(({ leadId, value, currency }, ctx) => {
    if (value === undefined || value.trim() === "") return { leadId, worth: null };
    const parsed = parseConversionValue(value, currency ?? DEFAULT_CONVERSION_CURRENCY);
    if (parsed.ok) return { leadId, worth: { valueMinor: parsed.valueMinor, currency: parsed.currency } };
    ctx.addIssue({ code: "custom", path: [parsed.reason === "unknown_currency" ? "currency" : "value"], message: parsed.message });
    return z.NEVER;
  });

export type MarkConvertedInput = z.output<typeof markConvertedInput>;
