import { randomBytes } from "node:crypto";
import { signedStripeRequest, stripeFake } from "@audnix/integrations";
import { describe, expect, it } from "vitest";
import { openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const STRIPE_SECRET = `whsec_${randomBytes(24).toString("hex")}`;
const STARTER_LINK = "https://buy.stripe.com/test_e2e_starter";

const started = useE2eApp({
  STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
  STARTER_PAYMENT_LINK: STARTER_LINK,
});

describe("billing", () => {
  it("shows plan, usage and upgrades, and follows a Stripe purchase after a reload", async () => {
    const { server, browser, database } = started();
    const email = "billing@audnix.local";
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);
      await page.getByRole("link", { name: "Billing" }).click();
      await page.waitForURL(`${server.url}/dashboard/billing`);
      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email } }));

      await page.getByTestId("current-plan").filter({ hasText: /^Trial: 3 days left$/ }).waitFor();
      const leads = page.getByRole("progressbar", { name: "Leads used" });
      expect(await leads.getAttribute("aria-valuenow")).toBe("0");
      expect(await leads.getAttribute("aria-valuemax")).toBe("100");
      expect(await page.getByRole("progressbar", { name: "Voice minutes used" }).getAttribute("aria-valuemax")).toBe("10");
      await page.getByTestId("billing-history-empty").waitFor();
      // Each plan's price and limits, from the one table in core.
      for (const [plan, price, limits] of [
        ["starter", "$49.00", "Up to 100 leads with AI follow-up · 10 voice minutes"],
        ["growth", "$99.00", "Up to 500 leads with AI follow-up · 30 voice minutes"],
        ["pro", "$199.00", "Up to 2,000 leads with AI follow-up · 150 voice minutes"],
      ] as const) {
        const card = page.getByTestId(`plan-${plan}`);
        await card.getByText(`${price} per month`).waitFor();
        await card.getByText(limits).waitFor();
      }
      expect(await page.getByText("Current plan", { exact: true }).count()).toBe(0);

      const upgrade = page.getByRole("link", { name: "Upgrade to Starter" });
      const href = new URL((await upgrade.getAttribute("href")) ?? "");
      expect(`${href.origin}${href.pathname}`).toBe(STARTER_LINK);
      expect(href.searchParams.get("client_reference_id")).toBe(`${owner.id}_starter`);
      expect(await upgrade.getAttribute("target")).toBe("_blank");
      expect(await page.getByRole("button", { name: "Upgrade to Growth" }).isDisabled()).toBe(true);
      await page.getByText("Set GROWTH_PAYMENT_LINK to enable this plan").waitFor();

      // What Stripe sends once the owner pays through that link.
      const stripe = stripeFake({ seed: "e2e", startAt: new Date() });
      const { body, headers } = signedStripeRequest(
        stripe.checkoutSessionCompleted({ userId: owner.id, plan: "starter", customerId: stripe.customerId(), amountCents: 4900 }),
        STRIPE_SECRET,
      );
      const delivered = await fetch(`${server.url}/api/webhook/payment`, { method: "POST", body, headers });
      expect(delivered.status).toBe(200);

      await page.reload();
      await page.getByTestId("current-plan").filter({ hasText: /^Starter plan$/ }).waitFor();
      const starter = page.getByTestId("plan-starter");
      await starter.getByText("Current plan", { exact: true }).waitFor();
      expect(await starter.getAttribute("aria-current")).toBe("true");
      expect(await page.getByText("Current plan", { exact: true }).count()).toBe(1);
      const row = page.getByRole("row").filter({ hasText: "Plan purchased" });
      await row.filter({ hasText: "$49.00" }).waitFor();
    });
  });

  it("links the trial-ended banner to Billing", async () => {
    const { server, browser, database } = started();
    const email = "trial-ended@audnix.local";
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);
      await database.db.asSystem((tx) => tx.user.update({ where: { email }, data: { trialExpiresAt: new Date(Date.now() - 60_000) } }));
      await page.reload();
      const banner = page.getByTestId("follow-up-block");
      await banner.filter({ hasText: "Your free trial has ended." }).waitFor();
      await banner.getByRole("link", { name: "See plans on Billing" }).click();
      await page.waitForURL(`${server.url}/dashboard/billing`);
      await page.getByTestId("plan-growth").getByText("$99.00 per month").waitFor();
    });
  });

  it("answers 405 to anything but POST on the payment webhook", async () => {
    const { server } = started();
    const response = await fetch(`${server.url}/api/webhook/payment`);
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });
});
