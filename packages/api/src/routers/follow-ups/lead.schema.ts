import { z } from "zod";

/** Every follow-up control acts on one lead. */
export const leadInput = z.object({ leadId: z.uuid() });

export const resumeInput = leadInput.extend({
  /** Also queue the next follow-up at once; otherwise the lead's next message restarts the sequence. */
  followUpNow: z.boolean().default(false),
});

export type LeadInput = z.output<typeof leadInput>;
export type ResumeInput = z.output<typeof resumeInput>;
