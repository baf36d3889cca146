import { instagramCredentialsSchema } from "@audnix/core";
import {
  listInstagramTokensDueForRefresh,
  loadConnectionCredentials,
  markConnectionNeedsReconnect,
  saveRefreshedInstagramToken,
  type InstagramTokenDue,
} from "@audnix/db";
import { fetchInstagramProfile, InstagramApiError, refreshLongLivedToken } from "@audnix/integrations";
import { z } from "zod";
import { defineTask, type TaskRun } from "./define-task.ts";

// Scheduled daily by the crontab (graphile-worker adds `_cron`) or added by hand with `{}`.
const payloadSchema = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).optional(),
});

// Meta refreshes only tokens at least 24 h old; ten days of margin give a week of daily retries
// (and a worker outage) before a 60-day token lapses.
const MIN_AGE_HOURS = 24;
const EXPIRING_WITHIN_DAYS = 10;
const PAGE_SIZE = 200;

// A failure this close to expiry will not get another daily try in time.
const LAST_CHANCE_MS = 36 * 60 * 60 * 1000;

/** The dashboard's word for a connection whose token Meta rejects (also after a profile fetch). */
export const INSTAGRAM_ACCESS_REJECTED_REASON = "Instagram no longer accepts Audnix's access. Connect Instagram again to keep replying to your leads.";
const ACCOUNT_CHANGED_REASON = "Instagram now reports a different account for this connection. Connect Instagram again.";
const EXPIRING_REASON = "Instagram access expires within a day and could not be renewed. Connect Instagram again to keep replying to your leads.";

type Outcome = "refreshed" | "skipped" | "needsReconnect" | "failed";

/**
 * Refreshes every Instagram token that is due, checks the new one against /me, and marks the
 * connections whose token Meta rejects as needing a reconnect. One owner's failure never stops
 * the others; a passing outage at Meta is retried by tomorrow's run (the token still has days).
 */
export const refreshInstagramTokensTask = defineTask(payloadSchema, async (_payload, run) => {
  const now = run.deps.now();
  const counts: Record<Outcome, number> = { refreshed: 0, skipped: 0, needsReconnect: 0, failed: 0 };
  let due = 0;
  let after: InstagramTokenDue | undefined;
  for (;;) {
    const page = await listInstagramTokensDueForRefresh(run.deps.db, {
      now,
      minAgeHours: MIN_AGE_HOURS,
      expiringWithinDays: EXPIRING_WITHIN_DAYS,
      limit: PAGE_SIZE,
      after,
    });
    for (const connection of page) counts[await refreshOne(connection, run)] += 1;
    due += page.length;
    after = page.at(-1);
    if (page.length < PAGE_SIZE) break;
  }
  run.logger.info("instagram tokens refreshed", { due, ...counts });
});

async function refreshOne(connection: InstagramTokenDue, { deps, logger }: TaskRun): Promise<Outcome> {
  const config = { graphBaseUrl: deps.instagramGraphBaseUrl };
  const log = logger.child({ userId: connection.userId });
  const needsReconnect = async (reason: string): Promise<Outcome> => {
    await markConnectionNeedsReconnect(deps.db, { userId: connection.userId, channel: "instagram", reason, now: deps.now() });
    return "needsReconnect";
  };
  try {
    const stored = await loadConnectionCredentials(deps.db, { userId: connection.userId, channel: "instagram" }, deps.tokenCipher);
    // Disconnected since it was listed: nothing to refresh.
    if (!stored) return "skipped";
    const { accessToken } = instagramCredentialsSchema.parse(stored.credentials);
    const refreshed = await refreshLongLivedToken(config, accessToken);
    const profile = await fetchInstagramProfile(config, refreshed.accessToken);
    if (profile.accountId !== connection.externalAccountId) {
      // Storing it would route another account's DMs to this owner.
      log.warn("refreshed instagram token belongs to another account; connection needs reconnect");
      return await needsReconnect(ACCOUNT_CHANGED_REASON);
    }
    const issuedAt = deps.now();
    await saveRefreshedInstagramToken(deps.db, {
      userId: connection.userId,
      accessToken: refreshed.accessToken,
      tokenIssuedAt: issuedAt,
      tokenExpiresAt: new Date(issuedAt.getTime() + refreshed.expiresIn * 1000),
      cipher: deps.tokenCipher,
    });
    return "refreshed";
  } catch (error) {
    if (error instanceof InstagramApiError && error.tokenInvalid) {
      log.warn("instagram token rejected; connection needs reconnect", { code: error.code, subcode: error.subcode, fbtraceId: error.fbtraceId });
      return needsReconnect(INSTAGRAM_ACCESS_REJECTED_REASON);
    }
    log.error("instagram token refresh failed", error instanceof InstagramApiError ? { step: error.message, code: error.code } : { err: error });
    // Otherwise the token still has days left and tomorrow's run tries again.
    const expiresAt = connection.tokenExpiresAt?.getTime() ?? 0;
    if (expiresAt - deps.now().getTime() < LAST_CHANCE_MS) return needsReconnect(EXPIRING_REASON);
    return "failed";
  }
}
