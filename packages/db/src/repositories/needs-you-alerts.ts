import type { NeedsOwnerReason } from "@audnix/core";
import type { Db } from "../client.ts";

// The "Needs you" email alert's storage (docs/decisions/0027): leads.needs_owner_alerted_at marks
// the flag an email named, so each episode (flag set .. cleared) is emailed once.

export interface NeedsYouAlertClaim {
  /** The owner's sign-in email, where the alert goes. */
  to: string;
  /** When the leads were claimed: their needs_owner_alerted_at, and the email's idempotency key. */
  claimedAt: Date;
  leads: { id: string; name: string | null; username: string | null; reason: NeedsOwnerReason }[];
}

/**
 * Claims every waiting lead of the owner not emailed yet, longest-waiting first, in one committed
 * statement before the email is sent (claim, send, settle: decision 0011). Null when the owner
 * turned the alert off meanwhile or nothing is left to tell.
 */
export function claimNeedsYouAlert(db: Db, input: { userId: string; now: Date }): Promise<NeedsYouAlertClaim | null> {
  return db.asUser(input.userId, async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: input.userId }, select: { email: true, brandSettings: { select: { needsYouEmail: true } } } });
    if (!owner?.brandSettings?.needsYouEmail) return null;
    const leads = await tx.$queryRaw<{ id: string; name: string | null; username: string | null; reason: NeedsOwnerReason; waitingSince: Date }[]>`
      UPDATE leads SET needs_owner_alerted_at = ${input.now}
       WHERE user_id = ${input.userId}::uuid AND needs_owner_at IS NOT NULL AND needs_owner_alerted_at IS NULL
      RETURNING id, name, username, needs_owner_reason AS reason, needs_owner_at AS "waitingSince"`;
    if (leads.length === 0) return null;
    const longestWaitingFirst = leads.toSorted((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime());
    return { to: owner.email, claimedAt: input.now, leads: longestWaitingFirst.map(({ id, name, username, reason }) => ({ id, name, username, reason })) };
  });
}

/** Nothing was handed to the mail server (a retry outcome): the claim is undone so the next attempt names the same leads. */
export async function releaseNeedsYouAlert(db: Db, input: { userId: string; claimedAt: Date }): Promise<void> {
  await db.asUser(input.userId, (tx) =>
    tx.lead.updateMany({ where: { userId: input.userId, needsOwnerAlertedAt: input.claimedAt }, data: { needsOwnerAlertedAt: null } }),
  );
}
