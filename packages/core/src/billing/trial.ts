const DAY_MS = 24 * 60 * 60 * 1000;

export interface TrialAccount {
  plan: string;
  trialExpiresAt: Date | null;
}

/**
 * Whole days of trial left, counting a started day as a day: a trial that ends in two hours
 * still shows "1 day left", and one that has ended shows 0. Accounts that are not on the
 * trial plan have no trial countdown (null), even if an old expiry date is still stored.
 */
export function trialDaysLeft(account: TrialAccount, now: Date): number | null {
  if (account.plan !== "trial" || account.trialExpiresAt === null) return null;
  const remaining = account.trialExpiresAt.getTime() - now.getTime();
  return remaining <= 0 ? 0 : Math.ceil(remaining / DAY_MS);
}
