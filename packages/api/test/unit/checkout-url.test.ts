import { describe, expect, it } from "vitest";
import { checkoutUrl } from "../../src/routers/billing/checkout-url.ts";

const USER = "0b7a6c1e-8f7d-4f7e-9c55-3d1f0a2b4c6d";

function params(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

describe("checkoutUrl", () => {
  it("tells Stripe which account buys which plan through client_reference_id", () => {
    const url = checkoutUrl("https://buy.stripe.com/test_14k5nK", USER, "growth");
    expect(new URL(url).origin + new URL(url).pathname).toBe("https://buy.stripe.com/test_14k5nK");
    expect(params(url)).toEqual({ client_reference_id: `${USER}_growth` });
  });

  it("treats any Stripe-hosted link as Stripe", () => {
    expect(params(checkoutUrl("https://checkout.stripe.com/c/pay/cs_test", USER, "pro"))).toEqual({
      client_reference_id: `${USER}_pro`,
    });
  });

  it("hands Lemon Squeezy the account and plan as custom checkout data", () => {
    const url = checkoutUrl("https://audnix.lemonsqueezy.com/buy/6b7e1c9a-variant", USER, "starter");
    expect(url.startsWith("https://audnix.lemonsqueezy.com/buy/6b7e1c9a-variant?")).toBe(true);
    expect(params(url)).toEqual({ "checkout[custom][user_id]": USER, "checkout[custom][plan]": "starter" });
  });

  it("sends both sets to a link whose provider it cannot tell (a custom checkout domain)", () => {
    expect(params(checkoutUrl("https://pay.audnix.ai/starter", USER, "starter"))).toEqual({
      client_reference_id: `${USER}_starter`,
      "checkout[custom][user_id]": USER,
      "checkout[custom][plan]": "starter",
    });
  });

  it("keeps the link's own query parameters and replaces a stale buyer", () => {
    const url = checkoutUrl(`https://buy.stripe.com/x?prefilled_email=a%40b.c&client_reference_id=someone-else`, USER, "pro");
    expect(params(url)).toEqual({ prefilled_email: "a@b.c", client_reference_id: `${USER}_pro` });
  });

  it("does not take a look-alike host for Lemon Squeezy", () => {
    expect(params(checkoutUrl("https://lemonsqueezy.com.evil.example/buy", USER, "pro"))).toHaveProperty("client_reference_id");
  });
});
