import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { goToDashboardPage, openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const started = useE2eApp();

const UNREACHABLE = "Couldn't reach Audnix. Your text is still here; try again.";

/** From now on every form submit fails as if the server were down (no response at all). */
async function cutOffSubmits(page: Page): Promise<() => Promise<void>> {
  const isDataRequest = (url: URL) => url.pathname.endsWith(".data");
  await page.route(isDataRequest, (route) => (route.request().method() === "POST" ? route.abort("connectionrefused") : route.continue()));
  return () => page.unroute(isDataRequest);
}

describe("a form whose submit cannot reach the server", () => {
  it("keeps what was typed and says so, on a fetcher form and a page form, and sends once the server is back", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await openDashboard(page, server.url, "offline@audnix.local");
      const reconnect = await cutOffSubmits(page);

      await page.getByLabel("Their name").fill("Lena Vogel");
      await page.getByLabel("Message", { exact: true }).fill("Do you ship to Austria?");
      await page.getByRole("button", { name: "Send test message" }).click();
      await page.getByRole("alert").filter({ hasText: UNREACHABLE }).waitFor();
      expect(await page.getByLabel("Their name").inputValue()).toBe("Lena Vogel");
      expect(await page.getByLabel("Message", { exact: true }).inputValue()).toBe("Do you ship to Austria?");
      // The page itself stays: no error page in place of the dashboard.
      await page.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor();

      await reconnect();
      await page.getByRole("button", { name: "Send test message" }).click();
      await page.getByRole("status").filter({ hasText: "Captured a message from Lena Vogel" }).waitFor();
      expect(await page.getByText(UNREACHABLE).count()).toBe(0);

      await goToDashboardPage(page, "Settings");
      await page.getByRole("heading", { level: 1, name: "Brand settings" }).waitFor();
      await cutOffSubmits(page);
      await page.getByLabel("Brand name").fill("Vogel Ceramics");
      await page.getByLabel("Voice rules").fill("Warm, short, never pushy.");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("alert").filter({ hasText: UNREACHABLE }).waitFor();
      expect(await page.getByLabel("Brand name").inputValue()).toBe("Vogel Ceramics");
      expect(await page.getByLabel("Voice rules").inputValue()).toBe("Warm, short, never pushy.");
    });
  });
});
