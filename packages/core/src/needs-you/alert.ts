import { z } from "zod";

// The optional email alert (brand_settings.needs_you_email): one job per owner, queued when a lead
// starts needing them and run after a gathering delay, so five leads flagged in a minute are one
// email. preserve_run_at keeps the first run time: later flags join the pending job.

export const NEEDS_YOU_EMAIL_TASK = "needs-you:email";
export const NEEDS_YOU_EMAIL_JOB_KEY_PREFIX = `${NEEDS_YOU_EMAIL_TASK}:`;
/** How long the alert job waits to gather the leads flagged after the first. */
export const NEEDS_YOU_EMAIL_DELAY_SECONDS = 5 * 60;
/** At most this many leads are named in one email; the rest are counted. */
export const NEEDS_YOU_EMAIL_MAX_LEADS = 20;

export const needsYouEmailPayloadSchema = z.object({ userId: z.uuid() });
export type NeedsYouEmailPayload = z.infer<typeof needsYouEmailPayloadSchema>;
export const needsYouEmailJobKey = (userId: string) => `${NEEDS_YOU_EMAIL_JOB_KEY_PREFIX}${userId}`;
