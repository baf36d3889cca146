import { startFakeGoogle } from "@audnix/integrations";
import { afterAll, describe, expect, it } from "vitest";
import { googleEnv } from "../provider-fakes.ts";
import { expectDashboardOf, expectSignedOut, hasProviderSignInCookie, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const OWNER = { sub: "104242424242424242424", email: "owner@studio.example", emailVerified: true, name: "Studio Owner" };

// The fake must be listening before the server starts: its URL is part of the server's environment.
const google = await startFakeGoogle({ identities: [OWNER] });
afterAll(() => google.close());

const started = useE2eApp(googleEnv(google));

describe("Sign in with Google journey", () => {
  it("continues with Google, allows on the consent page, lands on the dashboard, and signs out", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page, context) => {
      await page.goto(`${server.url}/auth`);
      // With a real provider configured there is no password-less shortcut.
      expect(await page.getByRole("heading", { name: "Demo sign-in (development only)" }).count()).toBe(0);
      await page.getByRole("button", { name: "Continue with Google" }).click();

      await page.getByRole("heading", { name: "Sign in with Google" }).waitFor();
      expect(page.url().startsWith(google.url)).toBe(true);
      await page.getByRole("link", { name: "Allow" }).click();

      await expectDashboardOf(page, server.url, OWNER.email);
      await page.getByText("Trial: 3 days left").waitFor();
      const cookies = await context.cookies();
      expect(cookies.find((cookie) => cookie.name === "__Host-audnix_session")).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
      // The one-time sign-in cookie is gone once the callback used it.
      expect(await hasProviderSignInCookie(context)).toBe(false);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${server.url}/`);
      await expectSignedOut(page, { server, database });
    });
  });

  it("shows why when the owner denies consent, and signs nobody in", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page, context) => {
      const usersBefore = await database.db.asSystem((tx) => tx.user.count());
      await page.goto(`${server.url}/auth`);
      await page.getByRole("button", { name: "Continue with Google" }).click();
      await page.getByRole("link", { name: "Deny" }).click();
      await page.waitForURL(`${server.url}/auth?error=cancelled`);
      await page.getByRole("alert").filter({ hasText: "Sign-in was cancelled" }).waitFor();
      expect(await database.db.asSystem((tx) => tx.user.count())).toBe(usersBefore);
      expect((await context.cookies()).some((cookie) => cookie.name === "__Host-audnix_session")).toBe(false);
    });
  });
});
