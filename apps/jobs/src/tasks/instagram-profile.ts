import {
  INSTAGRAM_PROFILE_POLICY,
  INSTAGRAM_PROFILE_TASK,
  instagramProfileJobKey,
  instagramProfileJobPayloadSchema,
  profileWantedBeforeReply,
  type Logger,
} from "@audnix/core";
import {
  loadLeadProfileTarget,
  markConnectionNeedsReconnect,
  saveLeadProfile,
  type FollowUpContext,
  type LeadProfileOutcome,
} from "@audnix/db";
import { defineTask, type TaskRun } from "./define-task.ts";
import { INSTAGRAM_ACCESS_REJECTED_REASON } from "./refresh-instagram-tokens.ts";

// The lead's Instagram profile (docs/decisions/0023): the background job capture queues for each
// new Instagram lead, and the one quick try the first reply makes when that job has not landed yet.
// Log lines carry ids and outcomes only: a name or username is personal data.

/**
 * instagram:profile {userId, leadId}: fetches the profile with the account's token and stores it.
 * A rate limit, 5xx or timeout is retried (graphile-worker's backoff) up to
 * INSTAGRAM_PROFILE_POLICY.maxAttempts tries; "unavailable" never is; a rejected token marks the
 * connection as needing a reconnect, as a send does.
 */
export const instagramProfileTask = defineTask(instagramProfileJobPayloadSchema, async ({ userId, leadId }, run) => {
  const { deps, helpers } = run;
  const logger = run.logger.child({ leadId });
  const lead = await loadLeadProfileTarget(deps.db, { userId, leadId });
  if (!lead || lead.channel !== "instagram") {
    logger.info("no Instagram lead to fetch a profile for");
    return;
  }
  // The first reply's quick try got there first.
  if (lead.profileStatus === "fetched" || lead.profileStatus === "unavailable") {
    logger.info("instagram profile already known", { profileStatus: lead.profileStatus });
    return;
  }
  const lookup = await deps.followUpServices.instagramProfileLookup(userId);
  if (!lookup) {
    // Disconnected since the lead wrote: nothing to ask with. The status stays unset, so a reply
    // after a reconnect tries again.
    logger.info("instagram not connected; profile not fetched");
    return;
  }
  const result = await lookup(lead.externalId, { timeoutMs: deps.followUpServices.instagramProfileTimeouts.fetchMs });
  const save = (outcome: LeadProfileOutcome) => saveLeadProfile(deps.db, { userId, leadId, outcome, now: deps.now() });
  switch (result.status) {
    case "fetched": {
      const stored = await save(result);
      logger.info("instagram profile fetched", { hasName: Boolean(stored?.name), hasUsername: Boolean(stored?.username) });
      return;
    }
    case "unavailable":
      await save({ status: "unavailable" });
      logger.info("instagram profile unavailable", { reason: result.reason });
      return;
    case "token_invalid":
      await markConnectionNeedsReconnect(deps.db, { userId, channel: "instagram", reason: INSTAGRAM_ACCESS_REJECTED_REASON, now: deps.now() });
      await save({ status: "failed" });
      logger.warn("instagram token rejected on profile fetch; connection needs reconnect");
      return;
    case "retry": {
      const lastTry = helpers.job.attempts >= Math.min(helpers.job.max_attempts, INSTAGRAM_PROFILE_POLICY.maxAttempts);
      if (lastTry) {
        await save({ status: "failed" });
        logger.warn("instagram profile fetch gave up", { reason: result.reason, attempts: helpers.job.attempts });
        return;
      }
      // graphile-worker tries again after its backoff (about e^attempt seconds).
      throw new Error(`instagram profile fetch will be retried: ${result.reason}`);
    }
  }
});

/**
 * Before the first reply to an Instagram lead without a name: one try for their profile within the
 * reply deadline, so the greeting can use their first name. Anything else (slow, failing, token
 * trouble) leaves the context as it was: the reply greets without a name and is never delayed past
 * the deadline nor failed by it; the background job fetches the profile later.
 */
export async function withProfileBeforeReply(
  run: TaskRun,
  { userId, context, logger }: { userId: string; context: FollowUpContext; logger: Logger },
): Promise<FollowUpContext> {
  const { lead } = context;
  const { replyDeadlineMs } = run.deps.followUpServices.instagramProfileTimeouts;
  if (lead.channel !== "instagram" || replyDeadlineMs <= 0) return context;
  try {
    const target = await loadLeadProfileTarget(run.deps.db, { userId, leadId: lead.id });
    const wanted =
      target !== null &&
      profileWantedBeforeReply({
        channel: target.channel,
        name: target.name,
        profileStatus: target.profileStatus,
        isFirstOutbound: !context.messages.some((message) => message.direction === "outbound"),
      });
    if (!wanted) return context;
    const lookup = await run.deps.followUpServices.instagramProfileLookup(userId);
    if (!lookup) return context;
    const result = await lookup(target.externalId, { timeoutMs: replyDeadlineMs });
    if (result.status === "fetched" || result.status === "unavailable") {
      const stored = await saveLeadProfile(run.deps.db, {
        userId,
        leadId: lead.id,
        outcome: result.status === "fetched" ? result : { status: "unavailable" },
        now: run.deps.now(),
      });
      logger.info("instagram profile checked before the first reply", { profileStatus: result.status, hasName: Boolean(stored?.name) });
      return stored ? { ...context, lead: { ...lead, name: stored.name } } : context;
    }
    // The background job owns retries (and marks a rejected token); queue it in case capture's
    // has already given up or was never queued.
    await run.helpers.addJob(INSTAGRAM_PROFILE_TASK, { userId, leadId: lead.id }, { jobKey: instagramProfileJobKey(lead.id), maxAttempts: INSTAGRAM_PROFILE_POLICY.maxAttempts });
    logger.info("instagram profile not in time for the first reply; greeting without a name", { outcome: result.status });
  } catch (error) {
    logger.warn("instagram profile check before the reply failed; greeting without a name", { err: error });
  }
  return context;
}
