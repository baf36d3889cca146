import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectDashboardOf, expectSignedOut, openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const SESSION_COOKIE = "__Host-audnix_session";
const DEMO_EMAIL = "demo@audnix.local";

const started = useE2eApp();

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

async function expectSignedInDashboard(page: Page, baseUrl: string) {
  await expectDashboardOf(page, baseUrl, DEMO_EMAIL);
  await page.getByText("No leads yet: connect Instagram, WhatsApp or email to start capturing leads").waitFor();
}

describe("sign-in journey", () => {
  it("signs in with the demo account, stays signed in, and signs out", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page, context) => {
      await page.goto(`${server.url}/`);
      await page.getByRole("link", { name: "Start Free Trial" }).click();
      await page.waitForURL(`${server.url}/auth`);

      await page.getByRole("heading", { name: "Demo sign-in (development only)" }).waitFor();
      expect(await page.getByLabel("Email").inputValue()).toBe(DEMO_EMAIL);
      expect(await page.getByRole("button", { name: "Continue with Google" }).isDisabled()).toBe(true);
      expect(await page.getByRole("button", { name: "Continue with Apple" }).isDisabled()).toBe(true);
      await page.getByRole("button", { name: "Sign in with demo account" }).click();

      await expectSignedInDashboard(page, server.url);
      await page.getByText("Trial: 3 days left").waitFor();

      const cookie = await sessionCookie(context);
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
      // `__Host-` cookies are host-only: no Domain attribute, so no leading dot.
      expect(cookie?.domain).toBe("localhost");
      expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);

      await page.reload();
      await expectSignedInDashboard(page, server.url);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${server.url}/`);
      await page.getByRole("link", { name: "Start Free Trial" }).waitFor();
      expect(await sessionCookie(context)).toBeUndefined();
      await expectSignedOut(page, { server, database });
    });
  });

  it("lists the signed-in owner's leads instead of the empty state", async () => {
    const { server, browser, database } = started();
    const email = "owner-with-leads@audnix.local";
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);

      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email } }));
      await database.db.asUser(owner.id, (tx) =>
        tx.lead.create({ data: { userId: owner.id, externalId: "ig-1", channel: "instagram", name: "Ada Lovelace" } }),
      );
      await page.reload();
      await page.getByText("Ada Lovelace").waitFor();
      await page.getByText("Instagram · New").waitFor();
      expect(await page.getByText("No leads yet").count()).toBe(0);
    });
  });
});
