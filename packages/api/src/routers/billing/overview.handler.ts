import { PLAN_LIMITS, PLAN_PRICES, type PaidPlan, type PlanPrice } from "@audnix/core";
import { billingOverview } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import { checkoutUrl, PAID_PLANS, type PaymentLinks } from "./checkout-url.ts";

export interface UpgradeOption {
  plan: PaidPlan;
  leadLimit: number;
  voiceMinuteLimit: number;
  /** Per month. */
  price: PlanPrice;
  /** The plan's payment link carrying this user, or null when no link is configured. */
  checkoutUrl: string | null;
  /** The variable that would enable this plan's button, when it is unset. */
  missingEnv: string | null;
}

export function upgradeOptions(userId: string, links: PaymentLinks): UpgradeOption[] {
  return PAID_PLANS.map((plan) => {
    const link = links[plan];
    return {
      plan,
      leadLimit: PLAN_LIMITS[plan].leads,
      voiceMinuteLimit: PLAN_LIMITS[plan].voiceMinutes,
      price: PLAN_PRICES[plan],
      checkoutUrl: link === undefined ? null : checkoutUrl(link, userId, plan),
      missingEnv: link === undefined ? `${plan.toUpperCase()}_PAYMENT_LINK` : null,
    };
  });
}

export async function billingOverviewHandler({ ctx }: { ctx: ProtectedContext }) {
  const overview = await billingOverview(ctx.db, ctx.userId);
  return { ...overview, upgrades: upgradeOptions(ctx.userId, ctx.paymentLinks) };
}
