/** The paid plans' names as the billing page shows them. */
export const PAID_PLAN_TITLES = { starter: "Starter", growth: "Growth", pro: "Pro" } as const;
