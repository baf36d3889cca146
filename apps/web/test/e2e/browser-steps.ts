import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { E2eApp } from "./e2e-app.ts";

// What an owner does in the browser, shared by the journeys that do it on the way to what they test.

/** A tab that gives up on a missing element after 15 s, well inside the test timeout, so the error names the element. */
export async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/**
 * Runs `journey` in a browser context of its own (no cookies from other tests) on a fresh tab, and
 * closes the context afterwards even when the journey fails.
 */
export async function withPage(browser: Browser, journey: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  try {
    await journey(await newPage(context), context);
  } finally {
    await context.close();
  }
}

/** Signs in with the demo account `email` and waits for the dashboard's live connection. */
export async function openDashboard(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/auth`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in with demo account" }).click();
  await page.waitForURL(`${baseUrl}/dashboard`);
  await page.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
}

/** Waits until a sign-in lands on the dashboard of the account `email`. */
export async function expectDashboardOf(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.waitForURL(`${baseUrl}/dashboard`);
  await page.getByTestId("account-email").filter({ hasText: email }).waitFor();
}

/** After signing out: no session is left on the server, so the dashboard asks to sign in again. */
export async function expectSignedOut(page: Page, { server, database }: Pick<E2eApp, "server" | "database">): Promise<void> {
  expect(await database.db.asSystem((tx) => tx.session.count())).toBe(0);
  await page.goto(`${server.url}/dashboard`);
  await page.waitForURL(`${server.url}/auth?redirectTo=%2Fdashboard`);
}

/** Whether the one-time cookie a provider sign-in keeps until its callback is still in the browser. */
export async function hasProviderSignInCookie(context: BrowserContext): Promise<boolean> {
  return (await context.cookies()).some((cookie) => cookie.name.startsWith("__Host-audnix_signin_"));
}

/** Sends a message through the dashboard's sandbox form, as lead `name`, and waits until it is captured. */
export async function sendSandboxMessage(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel("Their name").fill(name);
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Send test message" }).click();
  await page.getByRole("status").filter({ hasText: `Captured a message from ${name}` }).waitFor();
}

/** Follows the dashboard navigation to `label`, through the "Menu" disclosure when the screen is narrow. */
export async function goToDashboardPage(page: Page, label: string): Promise<void> {
  const toggle = page.getByText("Menu", { exact: true });
  if (await toggle.isVisible()) await toggle.click();
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: label, exact: true }).click();
}
