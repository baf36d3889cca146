import type { PaidPlan } from "@audnix/core";

/** The plans an owner can buy, cheapest first; trial and expired are states, not products. */
export const PAID_PLANS = ["starter", "growth", "pro"] as const satisfies readonly PaidPlan[];

/** The payment link of each paid plan, as configured (the api package never reads the environment). */
export type PaymentLinks = Partial<Record<PaidPlan, string>>;

function isStripeLink(url: URL): boolean {
  return url.hostname === "buy.stripe.com" || url.hostname.includes("stripe");
}

function isLemonSqueezyLink(url: URL): boolean {
  return url.hostname === "lemonsqueezy.com" || url.hostname.endsWith(".lemonsqueezy.com");
}

/**
 * The payment link with the buyer attached, so the provider's webhook names the account to
 * upgrade. Stripe payment links pass `client_reference_id` (letters, digits, `-` and `_` only, hence
 * `<userId>_<plan>`) through to checkout.session.completed; Lemon Squeezy passes
 * `checkout[custom][...]` through as meta.custom_data. A link on any other host (a custom checkout
 * domain) gets both sets, since we cannot tell which provider serves it and each ignores the other's.
 */
export function checkoutUrl(link: string, userId: string, plan: PaidPlan): string {
  const url = new URL(link);
  const stripe = isStripeLink(url);
  const lemonSqueezy = isLemonSqueezyLink(url);
  if (stripe || !lemonSqueezy) url.searchParams.set("client_reference_id", `${userId}_${plan}`);
  if (lemonSqueezy || !stripe) {
    url.searchParams.set("checkout[custom][user_id]", userId);
    url.searchParams.set("checkout[custom][plan]", plan);
  }
  return url.toString();
}
