import { daysBetween, summaryEmail, summaryEmailKey, type Logger, type PlatformMailer } from "@audnix/core";
import { claimSummaryEmail, markSummaryNotEmailed, settleSummaryEmail, type Db, type SummaryRow } from "@audnix/db";

/** A send the SMTP server refused for now: thrown so graphile-worker retries the job (the row is pending again). */
export class SummaryEmailDeferred extends Error {
  override name = "SummaryEmailDeferred";
}

/**
 * Emails a made summary at most once: claim, send, settle (decision 0011). Without a platform
 * mailer the summary stays readable on the dashboard and is marked not emailed.
 */
export async function emailSummary(
  db: Db,
  input: { row: SummaryRow; to: string; appUrl: string; mailer: PlatformMailer | null; now: () => Date; logger: Logger },
): Promise<void> {
  const { row } = input;
  const target = { userId: row.userId, id: row.id, revision: row.revision };
  if (row.content === null) throw new Error("a summary is emailed only once its content is stored");
  if (input.mailer === null) {
    await markSummaryNotEmailed(db, target);
    input.logger.info("summary stored, not emailed (PLATFORM_SMTP_URL is unset)", { summaryId: row.id });
    return;
  }
  const claim = await claimSummaryEmail(db, target);
  if (!claim.claimed) {
    input.logger.info("summary email already handled", { summaryId: row.id, status: claim.status });
    return;
  }
  const appUrl = input.appUrl.replace(/\/+$/, "");
  const email = summaryEmail({
    kind: row.kind,
    content: row.content,
    dayCount: daysBetween(row.content.period.from, row.content.period.to) + 1,
    to: input.to,
    idempotencyKey: summaryEmailKey(row.id, row.revision),
    summaryUrl: `${appUrl}/dashboard/summaries/${row.id}`,
    settingsUrl: `${appUrl}/dashboard/summaries`,
  });
  const outcome = await input.mailer.send(email);
  await settleSummaryEmail(db, { ...target, outcome, now: input.now() });
  input.logger.info("summary email settled", { summaryId: row.id, status: outcome.status, ...(outcome.status === "sent" ? {} : { reason: outcome.reason }) });
  if (outcome.status === "retry") throw new SummaryEmailDeferred(outcome.reason);
}
