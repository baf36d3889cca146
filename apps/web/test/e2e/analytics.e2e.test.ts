import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage, openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const started = useE2eApp();

/** Marks the page; the mark survives client-side updates and is gone after any reload. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => document.body.setAttribute("data-not-reloaded", "yes"));
}

async function wasReloaded(page: Page): Promise<boolean> {
  return (await page.evaluate(() => document.body.getAttribute("data-not-reloaded"))) !== "yes";
}

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe("dashboard analytics", () => {
  it("starts a new account with 'No data yet' and the next step, never an empty chart", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, "analytics-new@audnix.local");
      await page.getByTestId("analytics-empty").filter({ hasText: "No data yet: connect a channel or simulate a message." }).waitFor();
      expect(await page.locator("svg.chart__plot").count()).toBe(0);
      await page.getByTestId("leads-used").filter({ hasText: "0 of 100" }).waitFor();
      expect(await page.getByTestId("analytics-empty").getByRole("link", { name: "Connect a channel" }).getAttribute("href")).toBe("/dashboard/connections");
    });
  });

  it("renders the charts on the server, updates a tile live when a message arrives, and drills down to the leads", async () => {
    const { server, browser } = started();
    await withPage(browser, async (sender, context) => {
      await openDashboard(sender, server.url, "analytics-live@audnix.local");
      await sendSandboxMessage(sender, "Ada Lovelace", "Do you have the course in May?");

      // The HTML as the server sends it (no JavaScript runs on a fetched page): SVG bars and the table are there.
      const html = await (await context.request.get(`${server.url}/dashboard?range=7d`)).text();
      expect(html).toMatch(/<svg class="chart__plot"[^>]*role="img"/);
      expect(html).toMatch(/<rect [^>]*class="chart__bar chart__series--3"/); // the sandbox channel's bar
      expect(html).toContain("<summary>Show as table</summary>");

      const watcher = await newPage(context);
      await watcher.goto(`${server.url}/dashboard?range=7d`);
      await watcher.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
      await watcher.getByTestId("tile-new-leads-value").filter({ hasText: /^1$/ }).waitFor();
      await markPage(watcher);

      await sendSandboxMessage(sender, "Grace Hopper", "Is there a student price?");
      await watcher.getByTestId("tile-new-leads-value").filter({ hasText: /^2$/ }).waitFor();
      await watcher.getByTestId("tile-messages-in-value").filter({ hasText: /^2$/ }).waitFor();
      await watcher.getByTestId("leads-used").filter({ hasText: "2 of 100" }).waitFor();
      expect(await wasReloaded(watcher)).toBe(false);

      // The table alternative holds the same numbers as the bars.
      const chart = watcher.getByTestId("chart-new-leads");
      await chart.getByText("Show as table").click();
      const todayRow = chart.getByRole("row").last();
      expect(await todayRow.getByRole("cell").allInnerTexts()).toEqual(["0", "0", "0", "2"]);

      await watcher.getByTestId("tile-new-leads").click();
      await watcher.waitForURL(/\/dashboard\?activity=created&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&range=7d#leads-title$/);
      await watcher.getByTestId("lead-activity-filter").filter({ hasText: "Leads that arrived" }).waitFor();
      await watcher.getByRole("link", { name: "Ada Lovelace" }).waitFor();
      await watcher.getByRole("link", { name: "Grace Hopper" }).waitFor();

      await watcher.getByTestId("tile-conversions").click();
      await watcher.waitForURL(/activity=converted/);
      await watcher.getByText("No leads match these filters.").waitFor();
    });
  });

  it("fits a 390 px phone and a 1280 px screen without sideways scrolling", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, "analytics-width@audnix.local");
      await sendSandboxMessage(page, "Maya", "Hello!");
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${page.url().split("?")[0]}?range=90d`);
        await page.getByTestId("chart-messages").waitFor();
        expect(await fitsWidth(page), `no sideways scroll at ${width} px`).toBe(true);
      }
    });
  });

  it("says why a custom range in the future cannot be shown and shows the last 30 days", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, "analytics-range@audnix.local");
      await page.getByLabel("From", { exact: true }).fill("2020-01-01");
      await page.getByLabel("To", { exact: true }).fill("2099-12-31");
      await page.getByRole("button", { name: "Show", exact: true }).click();
      await page.getByRole("alert").filter({ hasText: "The end date is in the future. Showing the last 30 days instead." }).waitFor();
    });
  });
});
