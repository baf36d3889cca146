/** Length of the free trial that starts at sign-up (product spec: 3 days). */
export const TRIAL_DAYS = 3;

const DAY_MS = 24 * 60 * 60 * 1000;

export function trialExpiresAt(signedUpAt: Date): Date {
  return new Date(signedUpAt.getTime() + TRIAL_DAYS * DAY_MS);
}
