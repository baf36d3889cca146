// "Send me this week's summary now" in Chromium: the real web app and worker, the fake SMTP server
// as the platform's mail server (as in `pnpm dev`), and its inbox page.
import { SUMMARY_NOW_TASK } from "@audnix/core";
import { FAKE_SMTP_DEFAULT_USER, startFakeSmtpInbox, startFakeSmtpServer, type FakeSmtpServer } from "@audnix/integrations";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goToDashboardPage, openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { runJobsUntil } from "./jobs-worker.ts";

const OWNER = "weekly-summary@audnix.local";
let smtp: FakeSmtpServer;
let inbox: Awaited<ReturnType<typeof startFakeSmtpInbox>>;
// Filled before the worker starts (hooks run in the order they are registered).
const workerEnv: Record<string, string> = {};

beforeAll(async () => {
  smtp = await startFakeSmtpServer();
  inbox = await startFakeSmtpInbox(smtp);
  const login = `${encodeURIComponent(FAKE_SMTP_DEFAULT_USER.user)}:${encodeURIComponent(FAKE_SMTP_DEFAULT_USER.password)}`;
  workerEnv.PLATFORM_SMTP_URL = `smtp://${login}@${smtp.host}:${smtp.port}`;
  workerEnv.PLATFORM_EMAIL_FROM = "Audnix <summaries@audnix.local>";
});

const started = useE2eApp({}, { worker: true, workerEnv });

afterAll(async () => {
  await inbox?.close();
  await smtp?.close();
});

const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe("weekly summary", () => {
  it("emails this week's summary on request, shows it on /dashboard/summaries and in the fake SMTP inbox, at 390 and 1280 px", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, OWNER);
      await sendSandboxMessage(page, "Ana Silva", "How much is a class?");
      await goToDashboardPage(page, "Summaries");
      await page.getByRole("heading", { name: "Summaries", level: 1 }).waitFor();
      await page.getByText("No summaries yet.").waitFor();
      expect(await page.locator(".empty-state").innerText()).toMatch(/The first weekly summary arrives on .+ and covers the week from \d+ \w+ \d{4}\./);

      await page.getByRole("button", { name: "Send me this week's summary now" }).click();
      await page.getByRole("status").filter({ hasText: `This week's summary so far is being made and emailed to ${OWNER}.` }).waitFor();
      await runJobsUntil(database.adminUrl, [SUMMARY_NOW_TASK], async () => smtp.messages.some((message) => message.envelope.rcptTo.includes(OWNER)));

      const email = smtp.messages.find((message) => message.envelope.rcptTo.includes(OWNER))!;
      expect(email.envelope.mailFrom).toBe("summaries@audnix.local");
      expect(email.parsed.subject).toBe("Your week so far at Audnix: 1 new lead");
      expect(email.parsed.text).toContain("1 new lead wrote to you this week so far");
      expect(email.parsed.text).toContain('- Asked once: "How much is a class?"');

      // The list refreshes itself once the worker has emailed it.
      const item = page.locator(".summary-list__item").filter({ hasText: "This week so far" });
      await item.filter({ hasText: "Emailed" }).waitFor();
      await item.getByRole("link").click();
      await page.getByRole("heading", { name: /^This week so far/, level: 1 }).waitFor();
      const body = await page.locator(".summary").innerText();
      expect(body).toContain("New leads: 1");
      expect(body).toContain('Asked once: "How much is a class?"');
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await fitsWidth(page)).toBe(true);
      }

      // What `pnpm dev` prints for reading the platform's mail: the fake's inbox page.
      await page.goto(`${inbox.url}/`);
      await page.getByRole("heading", { name: "Your week so far at Audnix: 1 new lead" }).waitFor();
    });
  });
});
