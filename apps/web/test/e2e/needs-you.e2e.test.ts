import { FOLLOW_UP_JOBS, LEAD_FACTS_TASK } from "@audnix/core";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { goToDashboardPage, openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { runJobsUntil } from "./jobs-worker.ts";

// The "Needs you" queue in the browser (docs/decisions/0027): a question the knowledge base
// cannot answer puts the lead in the header's count and the list's filter, and the owner's
// opted-in browser gets a notification that says nothing the lead wrote.

const started = useE2eApp({}, { worker: true });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

interface RecordedNotification {
  title: string;
  body: string | null;
  tag: string | null;
}

/**
 * Replaces window.Notification before the app loads with one that records what the app shows
 * (the browser's permission, which the context grants, is still the real one).
 */
function recordNotifications() {
  const RealNotification = window.Notification;
  const shown: RecordedNotification[] = [];
  (window as unknown as { shownNotifications: RecordedNotification[] }).shownNotifications = shown;
  class RecordingNotification extends EventTarget {
    static get permission() {
      return RealNotification.permission;
    }
    static requestPermission() {
      return RealNotification.requestPermission();
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      super();
      shown.push({ title, body: options?.body ?? null, tag: options?.tag ?? null });
    }
    close() {}
  }
  (window as unknown as { Notification: unknown }).Notification = RecordingNotification;
}

const shownNotifications = (page: Page) =>
  page.evaluate(() => (window as unknown as { shownNotifications: RecordedNotification[] }).shownNotifications);

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
}

describe("the Needs you queue", () => {
  it("counts, lists and notifies a lead whose question the knowledge base cannot answer", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page, context) => {
      await context.grantPermissions(["notifications"], { origin: server.url });
      await context.addInitScript(recordNotifications);
      await page.setViewportSize(DESKTOP);
      await openDashboard(page, server.url, "needs-you@audnix.local");
      const nav = page.getByRole("navigation", { name: "Dashboard" });
      await nav.getByRole("link", { name: "Needs you", exact: true }).waitFor();

      // Opt in: the permission is asked on the click, and the choice is remembered in this browser.
      await page.getByRole("button", { name: "Notify me in this browser" }).click();
      await page.getByRole("status").filter({ hasText: "This browser notifies you when a lead needs you." }).waitFor();
      expect(await page.evaluate(() => window.localStorage.getItem("audnix.needsYouNotifications"))).toBe("on");

      await sendSandboxMessage(page, "Omar Diaz", "Do you repair bicycles?");
      // The reply says the team will get back: the lead now needs the owner, and the header says so live.
      const count = nav.getByRole("link", { name: "Needs you (1)", exact: true });
      await runJobsUntil(database.adminUrl, [LEAD_FACTS_TASK, FOLLOW_UP_JOBS.reply], async () => (await count.count()) > 0);

      const lead = await database.db.asSystem((tx) => tx.lead.findFirstOrThrow({ where: { name: "Omar Diaz" } }));
      expect(lead.needsOwnerReason).toBe("unanswered_question");
      expect(await shownNotifications(page)).toEqual([
        { title: "A lead needs you", body: "Open Audnix to see who is waiting and why.", tag: `needs-you:${lead.id}` },
      ]);

      // The header's link is the list's Needs-you filter: only waiting leads, each badged with why.
      await count.click();
      await page.waitForURL(`${server.url}/dashboard?needsYou=1`);
      // The current page is "Needs you", not "Leads" as well (the same path, another query).
      await nav.locator('a[aria-current="page"]').filter({ hasText: "Needs you" }).waitFor();
      expect(await nav.locator('a[aria-current="page"]').count()).toBe(1);
      expect(await page.getByLabel("Needs you only").isChecked()).toBe(true);
      const rows = page.getByRole("list", { name: "Leads" }).getByRole("listitem");
      await rows.filter({ hasText: "Omar Diaz" }).getByTestId("lead-needs-owner-badge").waitFor();
      expect(await rows.count()).toBe(1);
      expect(await rows.getByTestId("lead-needs-owner-badge").getAttribute("title")).toBe("The AI couldn't answer");
      await expectNoSidewaysScroll(page);

      await page.setViewportSize(PHONE);
      await expectNoSidewaysScroll(page);
      await goToDashboardPage(page, "Needs you (1)");
      await rows.filter({ hasText: "Omar Diaz" }).waitFor();
      await expectNoSidewaysScroll(page);

      // Handled, the lead leaves the queue and the count goes.
      await rows.getByRole("link", { name: "Omar Diaz" }).click();
      await page.getByTestId("lead-needs-owner").getByRole("button", { name: "Mark as handled" }).click();
      await page.getByTestId("lead-needs-owner").waitFor({ state: "detached" });
      await page.setViewportSize(DESKTOP);
      await nav.getByRole("link", { name: "Needs you", exact: true }).click();
      await page.getByTestId("needs-you-empty").filter({ hasText: "No lead needs you right now." }).waitFor();
    });
  });

  it("edits a lead's details, refusing a bad phone while keeping what was typed", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await page.setViewportSize(PHONE);
      await openDashboard(page, server.url, "lead-details@audnix.local");
      await sendSandboxMessage(page, "Lena Park", "Hi there");
      await page.getByRole("link", { name: "Open the conversation" }).click();
      await page.getByRole("heading", { name: "Lena Park" }).waitFor();
      const details = page.getByTestId("lead-details");
      await details.getByText("Edit details").click();
      await details.getByLabel("Phone").fill("0151 2345");
      await details.getByLabel("Tags").fill("vip, VIP, wholesale");
      await details.getByLabel("Notes").fill("Prefers mornings.");
      await details.getByRole("button", { name: "Save details" }).click();
      await details.getByText("Enter the number with its country code, such as +49 151 12345678.").waitFor();
      expect(await details.getByLabel("Phone").getAttribute("aria-invalid")).toBe("true");
      expect(await details.getByLabel("Notes").inputValue()).toBe("Prefers mornings.");
      await expectNoSidewaysScroll(page);

      await details.getByLabel("Phone").fill("+49 151 2345 6789");
      await details.getByRole("button", { name: "Save details" }).click();
      await details.getByRole("status").filter({ hasText: "Saved." }).waitFor();
      await details.locator(".details__row").filter({ hasText: "+4915123456789" }).waitFor();
      await details.locator(".details__row").filter({ hasText: "vip, wholesale" }).waitFor();
      await details.getByText("Prefers mornings.").first().waitFor();
    });
  });
});
