import { z } from "zod";

// The follow-up engine's graphile-worker jobs: names, payloads and job keys in one place, shared by
// whoever enqueues (capture SQL, tRPC, tasks) and the tasks that run them. Keys carry the task name
// (graphile-worker keys are global) and are per lead (+ step), so re-planning replaces, never duplicates.

export const FOLLOW_UP_JOBS = {
  /** Answer the lead's latest message(s). Enqueued by capture, debounced per lead. */
  reply: "followup:reply",
  /** Send one planned step of the sequence (a follow_ups row). */
  step: "followup:step",
  /** The owner pressed "Follow up now": send the next step at once. */
  now: "followup:now",
  /** The owner changed the timing settings: plan every planned step of theirs again. One per owner. */
  replan: "followup:replan",
} as const;

export const replyJobPayloadSchema = z.object({ leadId: z.uuid(), userId: z.uuid() });
export const stepJobPayloadSchema = z.object({ followUpId: z.uuid(), userId: z.uuid() });
export const nowJobPayloadSchema = z.object({ leadId: z.uuid(), userId: z.uuid() });
export const replanJobPayloadSchema = z.object({ userId: z.uuid() });

export type ReplyJobPayload = z.infer<typeof replyJobPayloadSchema>;
export type StepJobPayload = z.infer<typeof stepJobPayloadSchema>;
export type NowJobPayload = z.infer<typeof nowJobPayloadSchema>;
export type ReplanJobPayload = z.infer<typeof replanJobPayloadSchema>;

export const replyJobKey = (leadId: string) => `${FOLLOW_UP_JOBS.reply}:${leadId}`;
export const stepJobKey = (leadId: string, step: number) => `${FOLLOW_UP_JOBS.step}:${leadId}:${step}`;
export const nowJobKey = (leadId: string) => `${FOLLOW_UP_JOBS.now}:${leadId}`;
/** Per owner: saving the settings twice in a row replaces the first, not yet started, replan. */
export const replanJobKey = (userId: string) => `${FOLLOW_UP_JOBS.replan}:${userId}`;

// Instagram's User Profile API gives the lead's name and username (docs/decisions/0023). Fetched in
// the background for each new Instagram lead (capture SQL enqueues it); one job per lead, so a
// second message before the fetch ran does not fetch twice.
export const INSTAGRAM_PROFILE_TASK = "instagram:profile";
export const INSTAGRAM_PROFILE_JOB_KEY_PREFIX = `${INSTAGRAM_PROFILE_TASK}:`;
export const instagramProfileJobPayloadSchema = z.object({ userId: z.uuid(), leadId: z.uuid() });
export type InstagramProfileJobPayload = z.infer<typeof instagramProfileJobPayloadSchema>;
export const instagramProfileJobKey = (leadId: string) => `${INSTAGRAM_PROFILE_JOB_KEY_PREFIX}${leadId}`;
