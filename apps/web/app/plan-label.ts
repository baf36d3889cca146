const planLabels = {
  starter: "Starter plan",
  growth: "Growth plan",
  pro: "Pro plan",
  expired: "Trial ended: choose a plan",
} as const;

export type PlanName = "trial" | keyof typeof planLabels;

/** What the dashboard says about the owner's plan, e.g. "Trial: 2 days left". */
export function describePlan(plan: PlanName, trialDaysLeft: number | null): string {
  if (plan !== "trial") return planLabels[plan];
  if (trialDaysLeft === null || trialDaysLeft <= 0) return planLabels.expired;
  return `Trial: ${trialDaysLeft} ${trialDaysLeft === 1 ? "day" : "days"} left`;
}
