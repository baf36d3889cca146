import { randomBytes } from "node:crypto";
import { createTokenCipher, OWNER_SEND_TASK } from "@audnix/core";
import { saveConnection } from "@audnix/db";
import { FAKE_INSTAGRAM_DEFAULT_USER, FAKE_SMTP_DEFAULT_USER, startFakeInstagram, startFakeSmtpServer } from "@audnix/integrations";
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp, type E2eApp } from "./e2e-app.ts";
import { runJobsUntil } from "./jobs-worker.ts";

// The owner answers leads from the lead page's reply box; the real worker sends through the vendor
// fakes, which must receive each reply exactly once.

const HOUR_MS = 3_600_000;
const INBOX = "hello@glow.example";
const encryptionKey = randomBytes(32);

// The worker's environment names the fakes' URLs, so they run before the app starts.
const instagram = await startFakeInstagram();
const smtp = await startFakeSmtpServer();

const started = useE2eApp(
  { ENCRYPTION_KEY: encryptionKey.toString("base64") },
  { worker: true, workerEnv: { ENCRYPTION_KEY: encryptionKey.toString("base64"), INSTAGRAM_GRAPH_BASE_URL: instagram.url } },
);

afterAll(async () => {
  await instagram.close();
  await smtp.close();
});

/** Signs the owner in, connects their Instagram (the fake's account) and email (the SMTP fake) as the connect flows store them. */
async function ownerWithChannels(page: Page, app: E2eApp, email: string): Promise<string> {
  await openDashboard(page, app.server.url, email);
  const { id: userId } = await app.database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email }, select: { id: true } }));
  const cipher = createTokenCipher(encryptionKey);
  const now = new Date();
  await saveConnection(app.database.db, {
    userId,
    channel: "instagram",
    externalAccountId: FAKE_INSTAGRAM_DEFAULT_USER.userId,
    displayName: `@${FAKE_INSTAGRAM_DEFAULT_USER.username}`,
    credentials: { accessToken: instagram.issueLongLivedToken(FAKE_INSTAGRAM_DEFAULT_USER.userId) },
    cipher,
    now,
  });
  await saveConnection(app.database.db, {
    userId,
    channel: "email",
    externalAccountId: INBOX,
    displayName: INBOX,
    credentials: { smtp: { host: smtp.host, port: smtp.port, secure: false, user: FAKE_SMTP_DEFAULT_USER.user, password: FAKE_SMTP_DEFAULT_USER.password } },
    settings: { fromAddress: INBOX, fromName: "Glow Studio" },
    cipher,
    now,
  });
  return userId;
}

/** An Instagram lead with an email address whose last DM came `ago` ms ago; returns the lead's id. */
async function instagramLead(app: E2eApp, userId: string, lead: { igsid: string; name: string; email: string; ago: number }): Promise<string> {
  const sentAt = new Date(Date.now() - lead.ago);
  return app.database.db.asSystem(async (tx) => {
    const row = await tx.lead.create({
      data: { userId, channel: "instagram", externalId: lead.igsid, name: lead.name, email: lead.email, lastMessageAt: sentAt, status: "replied" },
    });
    await tx.message.create({
      data: { userId, leadId: row.id, channel: "instagram", direction: "inbound", author: "lead", body: "Do you have evening classes?", sentAt, providerMessageId: `mid.${lead.igsid}` },
    });
    return row.id;
  });
}

const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.envelope.rcptTo.includes(address));
const ownBubbles = (page: Page, text: string) => page.locator(".bubble--outbound").filter({ hasText: text });

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

describe("the owner's reply box", () => {
  it("answers a lead on Instagram and then on email: each vendor receives exactly one message, labelled as the owner's", async () => {
    const app = started();
    await withPage(app.browser, async (page) => {
      const userId = await ownerWithChannels(page, app, "owner-reply@audnix.local");
      const leadId = await instagramLead(app, userId, { igsid: "igsid-e2e-maria", name: "Maria Lopez", email: "maria@example.com", ago: 2.5 * HOUR_MS });
      await page.goto(`${app.server.url}/dashboard/leads/${leadId}`);
      const box = page.getByTestId("reply-box");
      await box.getByText("Instagram: the lead last wrote 2 hours ago; open for 21 hours more.").waitFor();
      expect(await box.getByLabel("Instagram").isChecked()).toBe(true);

      // The AI's draft fills the box, to edit; nothing is sent.
      await box.getByRole("button", { name: "Draft a reply" }).click();
      await box.getByTestId("reply-draft-note").waitFor();
      expect(await box.getByLabel("Your reply").inputValue()).toContain("Hi Maria!");
      expect(instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-e2e-maria")).toEqual([]);

      await box.getByLabel("Your reply").fill("Yes! Tuesdays and Thursdays at 7 pm.");
      // A double click sends once: the request carries the message's id, the second finds it recorded.
      await box.getByRole("button", { name: "Send", exact: true }).dblclick();
      await box.getByRole("status").filter({ hasText: "Your reply is being sent on Instagram. The AI is paused for this lead until you resume it." }).waitFor();
      await runJobsUntil(app.database.adminUrl, [OWNER_SEND_TASK], async () => instagram.sentMessages.some((sent) => sent.recipientId === "igsid-e2e-maria"));
      await ownBubbles(page, "Yes! Tuesdays and Thursdays at 7 pm.").getByText("Sent").waitFor();
      expect(await ownBubbles(page, "Yes! Tuesdays and Thursdays at 7 pm.").locator(".bubble__author").innerText()).toBe("You");
      expect(instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-e2e-maria")).toEqual([
        expect.objectContaining({ message: { text: "Yes! Tuesdays and Thursdays at 7 pm." }, tag: null }),
      ]);
      expect(await box.getByLabel("Your reply").inputValue()).toBe("");

      await box.getByLabel("Email").check();
      await box.getByLabel("Your reply").fill("Here is the timetable by email, too.");
      await box.getByRole("button", { name: "Send", exact: true }).click();
      await box.getByRole("status").filter({ hasText: "Your reply is being sent on Email." }).waitFor();
      await runJobsUntil(app.database.adminUrl, [OWNER_SEND_TASK], async () => mailsTo("maria@example.com").length > 0);
      await ownBubbles(page, "Here is the timetable by email, too.").getByText("Sent").waitFor();
      expect(mailsTo("maria@example.com")).toHaveLength(1);
      expect(mailsTo("maria@example.com")[0]!.parsed.text).toContain("Here is the timetable by email, too.");
      expect(instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-e2e-maria")).toHaveLength(1);
    });
  });

  it("explains a closed Instagram window and offers email instead, at 390 px", async () => {
    const app = started();
    await withPage(app.browser, async (page) => {
      await page.setViewportSize({ width: 390, height: 844 });
      // The same owner: an Instagram account belongs to one Audnix account.
      const userId = await ownerWithChannels(page, app, "owner-reply@audnix.local");
      const leadId = await instagramLead(app, userId, { igsid: "igsid-e2e-jonas", name: "Jonas Weber", email: "jonas@example.com", ago: 9 * 24 * HOUR_MS });
      await page.goto(`${app.server.url}/dashboard/leads/${leadId}`);
      const box = page.getByTestId("reply-box");
      await box.getByTestId("reply-closed-channels").getByText("Instagram: the lead last wrote 9 days ago; Instagram allows replies up to 7 days.").waitFor();
      expect(await box.getByLabel("Instagram").count()).toBe(0);
      expect(await box.getByLabel("Email").isChecked()).toBe(true);
      await noSidewaysScroll(page);

      await box.getByLabel("Your reply").fill("Sorry for the slow answer: yes, evenings too.");
      await box.getByRole("button", { name: "Send", exact: true }).click();
      await runJobsUntil(app.database.adminUrl, [OWNER_SEND_TASK], async () => mailsTo("jonas@example.com").length > 0);
      await ownBubbles(page, "Sorry for the slow answer").getByText("Sent").waitFor();
      expect(mailsTo("jonas@example.com")).toHaveLength(1);
      expect(instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-e2e-jonas")).toEqual([]);
      await noSidewaysScroll(page);
    });
  });

  it("labels the AI's messages and sends a failed one and an unconfirmed one again when the owner asks, once each", async () => {
    const app = started();
    await withPage(app.browser, async (page) => {
      const userId = await ownerWithChannels(page, app, "owner-reply@audnix.local");
      const leadId = await instagramLead(app, userId, { igsid: "igsid-e2e-lina", name: "Lina Park", email: "lina@example.com", ago: HOUR_MS });
      await app.database.db.asSystem(async (tx) => {
        const base = { userId, leadId, channel: "instagram" as const, direction: "outbound" as const, author: "ai" as const };
        await tx.message.create({ data: { ...base, body: "Hi Lina! We do, at 6 and 8 pm.", deliveryStatus: "failed", failureReason: "Instagram refused the message", idempotencyKey: `reply:${leadId}` } });
        await tx.message.create({
          data: { ...base, body: "Lina, want me to hold a spot?", followUpStep: 1, deliveryStatus: "unconfirmed", failureReason: "Instagram did not answer in time", idempotencyKey: `step:${leadId}` },
        });
      });
      await page.goto(`${app.server.url}/dashboard/leads/${leadId}`);
      const failed = ownBubbles(page, "Hi Lina! We do");
      expect(await failed.locator(".bubble__author").innerText()).toBe("AI");
      await failed.getByRole("button", { name: "Retry" }).click();
      await failed.getByText(/^Sent again/).waitFor();

      // An unconfirmed message may already have arrived: the owner confirms before it goes again.
      const unconfirmed = ownBubbles(page, "Lina, want me to hold a spot?");
      await unconfirmed.getByText("Retry…").click();
      await unconfirmed.getByText("It may already have arrived: sending it again could give the lead the same message twice.").waitFor();
      await unconfirmed.getByRole("button", { name: "Send it again" }).click();
      await unconfirmed.getByText(/^Sent again/).waitFor();

      await runJobsUntil(app.database.adminUrl, [OWNER_SEND_TASK], async () => instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-e2e-lina").length >= 2);
      await ownBubbles(page, "Lina, want me to hold a spot?").filter({ hasText: "Sent" }).last().waitFor();
      // The two retries are two jobs: the worker may send them in either order.
      const texts = instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-e2e-lina").map((sent) => String(sent.message.text));
      expect(texts.sort()).toEqual(["Hi Lina! We do, at 6 and 8 pm.", "Lina, want me to hold a spot?"]);
      expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(0);
    });
  });
});
