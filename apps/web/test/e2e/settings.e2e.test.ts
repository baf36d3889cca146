import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openDashboard, sendSandboxMessage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

// The settings page and the follow-up panel say what the engine does (issue 11): the zone comes
// from the owner's browser at first sign-in, equal quiet hours are refused, the reply's expected
// time is shown, and "Follow up now" is off with the reason while the engine would not send.

const started = useE2eApp();

/** A browser whose clock is in `timezoneId` (Chromium's own zone emulation). */
async function withZonedPage(browser: Browser, timezoneId: string, journey: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ timezoneId });
  try {
    await journey(await newPage(context));
  } finally {
    await context.close();
  }
}

async function openSettings(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/settings`);
  await page.getByRole("heading", { name: "Brand settings" }).waitFor();
}

describe("brand settings and the engine", () => {
  it("takes the browser's time zone at first sign-in, and only then", async () => {
    const { server, browser } = started();
    await withZonedPage(browser, "America/Sao_Paulo", async (page) => {
      // Remix's fetcher posts to the route's data URL (/dashboard/time-zone.data).
      const adopted = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith("/dashboard/time-zone"));
      await openDashboard(page, server.url, "zone-owner@audnix.local");
      expect((await adopted).status()).toBe(200);
      await openSettings(page, server.url);
      expect(await page.getByLabel("Time zone").inputValue()).toBe("America/Sao_Paulo");
    });
    // Signing in again from a browser elsewhere keeps the zone the account has.
    await withZonedPage(browser, "Asia/Tokyo", async (page) => {
      await openDashboard(page, server.url, "zone-owner@audnix.local");
      await openSettings(page, server.url);
      expect(await page.getByLabel("Time zone").inputValue()).toBe("America/Sao_Paulo");
    });
  });

  it("refuses equal quiet hours with what to do instead, and saves No quiet hours", async () => {
    const { server, browser } = started();
    await withZonedPage(browser, "Europe/Berlin", async (page) => {
      await openDashboard(page, server.url, "quiet-owner@audnix.local");
      await openSettings(page, server.url);
      // The copy says what the engine does with the delay window and with replies.
      await page.getByText("A random delay in this window is added to each follow-up step.").waitFor();
      await page.getByText("then 45 seconds to 4 minutes, like a person typing, at any hour").waitFor();

      await page.getByLabel("Quiet hours from").fill("22:00");
      await page.getByLabel("Quiet hours until").fill("22:00");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText('Start and end must differ; to allow any hour, tick "No quiet hours".').waitFor();
      expect(await page.getByLabel("Quiet hours until").getAttribute("aria-invalid")).toBe("true");

      await page.getByLabel("No quiet hours", { exact: false }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();
      await page.reload();
      expect(await page.getByLabel("No quiet hours", { exact: false }).isChecked()).toBe(true);
    });
  });

  it("shows when the queued reply goes out, and keeps Follow up now off until it did, saying why", async () => {
    const { server, browser } = started();
    await withZonedPage(browser, "UTC", async (page) => {
      await openDashboard(page, server.url, "eta-owner@audnix.local");
      await sendSandboxMessage(page, "Ana Souza", "I'm thinking about a month of classes.");
      await page.getByRole("link", { name: "Open the conversation" }).click();
      await page.getByRole("heading", { name: "Ana Souza" }).waitFor();
      const panel = page.getByTestId("follow-up-panel");
      // No worker runs here: the reply waits for its debounce run, 65 s to 4 min 20 s after the message.
      expect((await panel.getByTestId("reply-eta").innerText()).trim()).toMatch(/^Replies in about \d-\d min\.$/);
      const button = panel.getByRole("button", { name: "Follow up now" });
      expect(await button.isDisabled()).toBe(true);
      const reason = "No follow-up while the lead's latest message is unanswered: the AI replies to it, then the sequence starts again.";
      expect(await panel.getByTestId("follow-up-now-reason").innerText()).toBe(reason);
      expect(await button.getAttribute("aria-describedby")).toBe("follow-up-now-reason");
    });
  });
});
