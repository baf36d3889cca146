// The plans of the product, in one place (product spec): what each allows.

export const PLAN_NAMES = ["trial", "starter", "growth", "pro", "expired"] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export interface PlanLimits {
  /** New leads the account may capture with AI follow-up. */
  leads: number;
  voiceMinutes: number;
}

/** Length of the free trial that starts at sign-up (product spec: 3 days). */
export const TRIAL_DAYS = 3;

export const PLAN_LIMITS: Record<PlanName, PlanLimits> = {
  // The trial lets an owner see the whole product working at Starter's size.
  trial: { leads: 100, voiceMinutes: 10 },
  starter: { leads: 100, voiceMinutes: 10 },
  growth: { leads: 500, voiceMinutes: 30 },
  pro: { leads: 2000, voiceMinutes: 150 },
  // Cancelled or lapsed: capture continues, AI follow-ups pause.
  expired: { leads: 0, voiceMinutes: 0 },
};

/** What a paid plan costs, as the billing page shows it: in the currency's minor unit, per month. */
export interface PlanPrice {
  amountMinor: number;
  /** ISO 4217, lower case as payment providers report it. */
  currency: string;
}

/**
 * Each paid plan's monthly price. The payment link decides what is charged: keep each link's price
 * equal to this, since this is what the owner reads before buying.
 */
export const PLAN_PRICES: Record<"starter" | "growth" | "pro", PlanPrice> = {
  starter: { amountMinor: 4900, currency: "usd" },
  growth: { amountMinor: 9900, currency: "usd" },
  pro: { amountMinor: 19900, currency: "usd" },
};

const DAY_MS = 24 * 60 * 60 * 1000;

export function trialExpiresAt(signedUpAt: Date): Date {
  return new Date(signedUpAt.getTime() + TRIAL_DAYS * DAY_MS);
}

/** Why new leads of an account get no AI follow-up, or null when they do. */
export type FollowUpBlock = "trial_expired" | "plan_expired" | "lead_limit_reached";

export interface AccountUsage {
  plan: PlanName;
  leadsUsed: number;
  trialExpiresAt: Date | null;
}

export function followUpBlock(account: AccountUsage, now: Date): FollowUpBlock | null {
  if (account.plan === "expired") return "plan_expired";
  if (account.plan === "trial" && account.trialExpiresAt !== null && account.trialExpiresAt <= now) return "trial_expired";
  if (account.leadsUsed >= PLAN_LIMITS[account.plan].leads) return "lead_limit_reached";
  return null;
}

export const FOLLOW_UP_BLOCK_MESSAGES: Record<FollowUpBlock, string> = {
  trial_expired: "Your free trial has ended. New leads are still captured, but AI follow-ups are paused until you pick a plan.",
  plan_expired: "Your plan has ended. New leads are still captured, but AI follow-ups are paused until you renew.",
  lead_limit_reached: "You have reached your plan's lead limit. New leads are still captured, but AI follow-ups are paused until you upgrade.",
};

/**
 * Shown on a lead capture refused AI follow-up (leads.ai_blocked_reason), which stays without it
 * even after the account is unblocked.
 */
export const LEAD_FOLLOW_UP_BLOCK_NOTES: Record<FollowUpBlock, string> = {
  trial_expired: "AI follow-up was not started: this lead arrived after the free trial had ended.",
  plan_expired: "AI follow-up was not started: this lead arrived while the plan was inactive.",
  lead_limit_reached: "AI follow-up was not started: this lead arrived after the plan's lead limit was reached.",
};
