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
