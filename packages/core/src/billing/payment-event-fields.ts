import type { PlanName } from "./plans.ts";

// Field rules both payment parsers share: what a checkout may name as the paid plan, and what
// counts as one of our user ids. Anything else is treated as absent rather than trusted.

export type PaidPlan = Extract<PlanName, "starter" | "growth" | "pro">;

const PAID_PLANS: readonly string[] = ["starter", "growth", "pro"] satisfies PaidPlan[];

export function paidPlanOrNull(value: unknown): PaidPlan | null {
  return typeof value === "string" && PAID_PLANS.includes(value) ? (value as PaidPlan) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our user ids are uuids (users.id); a checkout that carries anything else was not started by us. */
export function userIdOrNull(value: unknown): string | null {
  return typeof value === "string" && UUID.test(value) ? value.toLowerCase() : null;
}
