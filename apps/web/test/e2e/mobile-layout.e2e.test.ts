import { ensureUnsubscribeToken } from "@audnix/db";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { PRODUCT_PAGES, type PageFixture } from "./pages.ts";

const started = useE2eApp();

const WIDTHS = [390, 1280] as const;

// Long words are what push a phone layout sideways: a name without spaces, a link, an address.
const LEAD_NAME = "Maximiliana Oberhollenzer-Wittgensteinova";
const LEAD_TEXT = "Hi! Is this still available? https://www.example.com/products/handmade-ceramic-dinner-plates-set-of-twelve-with-gold-rim";

/**
 * How far the page reaches past its viewport (0 when nothing scrolls sideways), with the widest
 * elements that stick out, so a failure names what to fix.
 */
async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; sticking: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const sticking = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className) || "(no class)"}`);
    return { scrollWidth: document.documentElement.scrollWidth, sticking };
  });
}

async function expectFits(page: Page, width: number, name: string): Promise<void> {
  const { scrollWidth, sticking } = await sidewaysOverflow(page);
  expect(scrollWidth, `${name} at ${width} px; sticking out: ${sticking.join(", ")}`).toBeLessThanOrEqual(width);
}

describe("every page at phone and desktop width", () => {
  it("never scrolls sideways at 390 px or 1280 px, signed in and out", async () => {
    const { server, browser, database } = started();
    const email = "layout@audnix.local";
    let fixture: PageFixture | undefined;
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);
      await sendSandboxMessage(page, LEAD_NAME, LEAD_TEXT);
      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email } }));
      const lead = await database.db.asSystem((tx) => tx.lead.findFirstOrThrow({ where: { userId: owner.id } }));
      fixture = { leadId: lead.id, unsubscribeToken: await ensureUnsubscribeToken(database.db, { userId: owner.id, leadId: lead.id }) };

      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 844 });
        for (const product of PRODUCT_PAGES.filter(({ signedIn }) => signedIn)) {
          await page.goto(`${server.url}${product.path(fixture)}`);
          await page.getByRole("heading", { level: 1, name: product.heading }).waitFor();
          await expectFits(page, width, product.name);
        }
      }
    });

    await withPage(browser, async (page) => {
      if (!fixture) throw new Error("the signed-in pass made no fixture");
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 844 });
        for (const product of PRODUCT_PAGES.filter(({ signedIn }) => !signedIn)) {
          await page.goto(`${server.url}${product.path(fixture)}`);
          await page.getByRole("heading", { level: 1, name: product.heading }).waitFor();
          await expectFits(page, width, product.name);
        }
      }
    });
  });

  it("reaches every dashboard page and Sign out through the menu at 390 px, marking the current page", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await openDashboard(page, server.url, "menu@audnix.local");
      const menu = page.getByRole("group").filter({ has: page.getByText("Menu", { exact: true }) });
      const toggle = page.getByText("Menu", { exact: true });
      // Closed, the menu's links are hidden; the header's own row holds only the brand, the live status and the toggle.
      expect(await page.getByRole("link", { name: "Billing" }).count()).toBe(0);

      for (const [label, path] of [
        ["Billing", "/dashboard/billing"],
        ["Connections", "/dashboard/connections"],
        ["Knowledge", "/dashboard/knowledge"],
        ["Settings", "/dashboard/settings"],
        ["Leads", "/dashboard"],
      ] as const) {
        await toggle.click();
        await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: label }).click();
        await page.waitForURL(`${server.url}${path}`);
        // Following a link closes the menu; reopened, it marks where the owner is.
        await page.getByRole("link", { name: label }).waitFor({ state: "hidden" });
        await toggle.click();
        expect(await page.getByRole("link", { name: label, exact: true }).getAttribute("aria-current")).toBe("page");
        await page.keyboard.press("Escape");
        await page.getByRole("link", { name: label, exact: true }).waitFor({ state: "hidden" });
        expect(await menu.getAttribute("open")).toBeNull();
      }

      await toggle.click();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${server.url}/`);
      await page.goto(`${server.url}/dashboard`);
      await page.waitForURL(`${server.url}/auth?redirectTo=%2Fdashboard`);
    });
  });

  it("opens the menu and follows its links without JavaScript", async () => {
    const { server, browser } = started();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${server.url}/auth`);
      await page.getByLabel("Email").fill("menu-no-js@audnix.local");
      await page.getByRole("button", { name: "Sign in with demo account" }).click();
      await page.waitForURL(`${server.url}/dashboard`);
      await page.getByText("Menu", { exact: true }).click();
      await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Settings" }).click();
      await page.waitForURL(`${server.url}/dashboard/settings`);
      await page.getByText("Menu", { exact: true }).click();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${server.url}/`);
    } finally {
      await context.close();
    }
  });
});
