import { leadDisplayName, needsYouAlertEmail, needsYouEmailPayloadSchema } from "@audnix/core";
import { claimNeedsYouAlert, releaseNeedsYouAlert } from "@audnix/db";
import { defineTask } from "./define-task.ts";

/** The mail server could not take the alert now; graphile-worker retries the job with its backoff. */
class NeedsYouEmailDeferred extends Error {
  constructor(reason: string) {
    super(`needs-you email deferred: ${reason}`);
    this.name = "NeedsYouEmailDeferred";
  }
}

/**
 * "Email me when a lead needs me" (docs/decisions/0027): one email naming every lead that started
 * needing the owner since the last one (app_flag_needs_owner queued this job, keyed per owner,
 * 5 minutes after the first). Claim, send, settle: the leads are marked before the send, so a
 * lead is emailed at most once per episode; only an outcome that proves nothing was handed over
 * (retry) releases them for the job's next attempt.
 */
export const needsYouEmailTask = defineTask(needsYouEmailPayloadSchema, async ({ userId }, { deps, logger }) => {
  const mailer = deps.platformMailer ?? null;
  if (mailer === null) {
    logger.info("needs-you email not sent: PLATFORM_SMTP_URL is unset");
    return;
  }
  const claim = await claimNeedsYouAlert(deps.db, { userId, now: deps.now() });
  if (claim === null) {
    logger.info("needs-you email: nothing new to tell, or the alert was turned off");
    return;
  }
  const { subject, text } = needsYouAlertEmail({
    appUrl: deps.followUpServices.appUrl,
    leads: claim.leads.map((lead) => ({ id: lead.id, name: leadDisplayName(lead), reason: lead.reason })),
  });
  const outcome = await mailer.send({ to: claim.to, subject, text, idempotencyKey: `needs-you:${userId}:${claim.claimedAt.toISOString()}` });
  // Counts only: lead names and the owner's address are personal data.
  logger.info("needs-you email settled", { status: outcome.status, leads: claim.leads.length, ...(outcome.status === "sent" ? {} : { reason: outcome.reason }) });
  if (outcome.status === "retry") {
    await releaseNeedsYouAlert(deps.db, { userId, claimedAt: claim.claimedAt });
    throw new NeedsYouEmailDeferred(outcome.reason);
  }
});
