import { startFakeGoogle } from "@audnix/integrations";
import { afterAll, describe, expect, it } from "vitest";
import { useE2eApp } from "./e2e-app.ts";

const OWNER = { sub: "104242424242424242424", email: "owner@studio.example", emailVerified: true, name: "Studio Owner" };

// The fake must be listening before the server starts: its URL is part of the server's environment.
const google = await startFakeGoogle({ identities: [OWNER] });
afterAll(() => google.close());

const started = useE2eApp({
  GOOGLE_CLIENT_ID: google.clientId,
  GOOGLE_CLIENT_SECRET: google.clientSecret,
  GOOGLE_ISSUER_URL: google.url,
});

describe("Sign in with Google journey", () => {
  it("continues with Google, allows on the consent page, lands on the dashboard, and signs out", async ({ onTestFailed }) => {
    const { server, browser, database } = started();
    onTestFailed(() => console.error(`--- web server output ---\n${server.output()}`));
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${server.url}/auth`);
      // With a real provider configured there is no password-less shortcut.
      expect(await page.getByRole("heading", { name: "Demo sign-in (development only)" }).count()).toBe(0);
      await page.getByRole("button", { name: "Continue with Google" }).click();

      await page.getByRole("heading", { name: "Sign in with Google" }).waitFor();
      expect(page.url().startsWith(google.url)).toBe(true);
      await page.getByRole("link", { name: "Allow" }).click();

      await page.waitForURL(`${server.url}/dashboard`);
      await page.getByTestId("account-email").filter({ hasText: OWNER.email }).waitFor();
      await page.getByText("Trial: 3 days left").waitFor();
      const cookies = await context.cookies();
      expect(cookies.find((cookie) => cookie.name === "__Host-audnix_session")).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
      // The one-time sign-in cookie is gone once the callback used it.
      expect(cookies.some((cookie) => cookie.name.startsWith("__Host-audnix_signin_"))).toBe(false);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${server.url}/`);
      expect(await database.db.asSystem((tx) => tx.session.count())).toBe(0);
      await page.goto(`${server.url}/dashboard`);
      await page.waitForURL(`${server.url}/auth?redirectTo=%2Fdashboard`);
    } finally {
      await context.close();
    }
  });

  it("shows why when the owner denies consent, and signs nobody in", async ({ onTestFailed }) => {
    const { server, browser, database } = started();
    onTestFailed(() => console.error(`--- web server output ---\n${server.output()}`));
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    try {
      const usersBefore = await database.db.asSystem((tx) => tx.user.count());
      await page.goto(`${server.url}/auth`);
      await page.getByRole("button", { name: "Continue with Google" }).click();
      await page.getByRole("link", { name: "Deny" }).click();
      await page.waitForURL(`${server.url}/auth?error=cancelled`);
      await page.getByRole("alert").filter({ hasText: "Sign-in was cancelled" }).waitFor();
      expect(await database.db.asSystem((tx) => tx.user.count())).toBe(usersBefore);
      expect((await context.cookies()).some((cookie) => cookie.name === "__Host-audnix_session")).toBe(false);
    } finally {
      await context.close();
    }
  });
});
