import { checkFactValue, FACT_VALUE_MAX_CHARS, leadFactKindSchema } from "@audnix/core";
import { z } from "zod";

// The owner's edits of a lead's facts. Each value is checked for its kind by core's
// checkFactValue, the same check every automatic fact passes, and arrives normalized.

const LONGEST_VALUE = Math.max(...Object.values(FACT_VALUE_MAX_CHARS), 32);

export const listLeadFactsInput = z.object({ leadId: z.uuid() });

export const addLeadFactInput = z
  .object({ leadId: z.uuid(), kind: leadFactKindSchema, value: z.string().max(LONGEST_VALUE, `At most ${LONGEST_VALUE} characters.`) })
  .transform((input, context) => {
    const checked = checkFactValue(input.kind, input.value);
    if (!checked.ok) {
      context.addIssue({ code: "custom", path: ["value"], message: checked.message });
      return z.NEVER;
    }
    return { ...input, value: checked.value };
  });

/** The kind is the fact's own: the handler checks the value against it. */
export const updateLeadFactInput = z.object({
  factId: z.uuid(),
  value: z.string().max(LONGEST_VALUE, `At most ${LONGEST_VALUE} characters.`),
});

export const removeLeadFactInput = z.object({ factId: z.uuid() });

export type ListLeadFactsInput = z.output<typeof listLeadFactsInput>;
export type AddLeadFactInput = z.output<typeof addLeadFactInput>;
export type UpdateLeadFactInput = z.output<typeof updateLeadFactInput>;
export type RemoveLeadFactInput = z.output<typeof removeLeadFactInput>;
