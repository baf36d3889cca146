import { FOLLOW_UP_JOBS } from "@audnix/core";
import { withClient } from "@audnix/db/admin";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { runJobsUntil } from "./jobs-worker.ts";

const started = useE2eApp({}, { worker: true });

const outbound = (page: Page, text: string) => page.locator(".bubble--outbound").filter({ hasText: text });

async function simulateLead(page: Page, name: string, text: string): Promise<void> {
  await sendSandboxMessage(page, name, text);
  await page.getByRole("link", { name: "Open the conversation" }).click();
  await page.getByRole("heading", { name }).waitFor();
}

describe("the follow-up loop in the sandbox", () => {
  it("greets a new lead by first name and shows the next follow-up as planned", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, "follow-up-loop@audnix.local");
      // No question: an unanswered one would hold the follow-ups for the owner (knowledge.e2e covers that).
      await simulateLead(page, "Maria Lopez", "Hi! I'd love to try your yoga classes on Saturdays.");
      const panel = page.getByTestId("follow-up-panel");
      await panel.getByText("The AI is preparing a reply to the lead's latest message.").waitFor();

      // The AI's draft fills the reply box on demand and is never sent by itself.
      const box = page.getByTestId("reply-box");
      await box.getByRole("button", { name: "Draft a reply" }).click();
      await box.getByTestId("reply-draft-note").waitFor();
      expect(await box.getByLabel("Your reply").inputValue()).toContain("Hi Maria!");
      expect(await page.getByTestId("timeline-message").count()).toBe(1);

      // The reply job runs (its debounce and human-like delay skipped) and the greeting arrives live.
      await runJobsUntil(database.adminUrl, [FOLLOW_UP_JOBS.reply], async () => (await outbound(page, "Hi Maria!").count()) > 0);
      const greeting = await outbound(page, "Hi Maria!").innerText();
      expect(greeting).not.toContain("Lopez");
      expect(greeting).toContain("[Sandbox AI]");

      await page.getByTestId("next-follow-up").filter({ hasText: "Next follow-up (step 1) on Sandbox" }).waitFor();
      await panel.getByTestId("follow-up-step").filter({ hasText: "Step 1 · Sandbox · planned" }).waitFor();

      // "Follow up now" names the step it sends; once it went out the page offers the next one.
      await panel.getByRole("button", { name: "Follow up now" }).click();
      await panel.getByRole("status").filter({ hasText: "Sending follow-up step 1 now." }).waitFor();
      await runJobsUntil(database.adminUrl, [FOLLOW_UP_JOBS.now], async () => (await page.locator(".bubble--outbound").count()) >= 2);
      await page.getByTestId("next-follow-up").filter({ hasText: "Next follow-up (step 2)" }).waitFor();
      expect(await page.getByTestId("follow-up-panel").getByRole("button", { name: "Follow up now" }).isEnabled()).toBe(true);

      // A send the vendor may or may not have taken (a slow answer, a worker killed mid-send) says so
      // under the message; the sandbox never is one, so the state is set as the engine would set it.
      const leadId = new URL(page.url()).pathname.split("/").pop();
      await withClient(database.adminUrl, (client) =>
        client.query(
          `UPDATE messages SET delivery_status = 'unconfirmed', failure_reason = 'Instagram did not answer in time; the message may have been delivered'
            WHERE id = (SELECT id FROM messages WHERE lead_id = $1::uuid AND direction = 'outbound' ORDER BY sent_at DESC LIMIT 1)`,
          [leadId],
        ),
      );
      await page.reload();
      await page
        .getByTestId("delivery-status")
        .filter({ hasText: "Delivery unconfirmed: Instagram did not answer in time; the message may have been delivered" })
        .waitFor();
      // The greeting the sandbox took just says so.
      expect(await page.getByTestId("delivery-status").allInnerTexts()).toEqual([
        "Sent",
        "Delivery unconfirmed: Instagram did not answer in time; the message may have been delivered",
      ]);
    });
  });

  it("pauses the AI, resumes it and sends the next follow-up at once, then stops it for good on conversion", async () => {
    const { server, browser, database } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, "follow-up-controls@audnix.local");
      await simulateLead(page, "Jonas Weber", "I'm thinking about a month of classes.");
      await runJobsUntil(database.adminUrl, [FOLLOW_UP_JOBS.reply], async () => (await outbound(page, "Hi Jonas!").count()) > 0);
      const panel = page.getByTestId("follow-up-panel");
      await page.getByTestId("next-follow-up").filter({ hasText: "Next follow-up (step 1)" }).waitFor();

      await panel.getByRole("button", { name: "Pause AI" }).click();
      await panel.getByRole("status").filter({ hasText: "AI paused: nothing is sent to this lead until you resume. 1 planned follow-up was cancelled." }).waitFor();
      await page.getByTestId("next-follow-up").filter({ hasText: "AI is paused for this lead" }).waitFor();
      await panel.getByTestId("follow-up-step").filter({ hasText: /Step 1 · Sandbox · cancelled · .*\(paused by owner\)/ }).waitFor();
      expect(await panel.getByRole("button", { name: "Follow up now" }).isDisabled()).toBe(true);

      await panel.getByLabel("Also send the next follow-up now").check();
      await panel.getByRole("button", { name: "Resume AI" }).click();
      await panel.getByRole("status").filter({ hasText: "AI resumed, and the next follow-up is being sent now." }).waitFor();
      await runJobsUntil(database.adminUrl, [FOLLOW_UP_JOBS.now], async () => (await page.locator(".bubble--outbound").count()) >= 2);
      expect(await page.locator(".bubble--outbound").count()).toBe(2);

      // The lead bought: the owner confirms the conversion with its value, and the AI stops following up.
      await panel.getByText("Mark as converted…").click();
      const confirm = panel.getByRole("form", { name: "Mark as converted" });
      expect(await confirm.getByLabel("Currency").inputValue()).toBe("USD");
      await confirm.getByLabel("Value (optional)").fill("120.555");
      await confirm.getByLabel("Currency").fill("EUR");
      await confirm.getByRole("button", { name: "Mark as converted" }).click();
      await panel.getByRole("alert").filter({ hasText: "EUR has at most 2 decimals." }).waitFor();
      expect(await confirm.getByLabel("Value (optional)").inputValue()).toBe("120.555");
      await confirm.getByLabel("Value (optional)").fill("120.50");
      await confirm.getByRole("button", { name: "Mark as converted" }).click();
      await panel.getByRole("status").filter({ hasText: "Marked as converted (€120.50): the AI sends this lead no more follow-ups." }).waitFor();
      await page.getByTestId("next-follow-up").filter({ hasText: "No follow-ups: this lead has converted." }).waitFor();
      await panel.getByTestId("lead-conversion").filter({ hasText: "€120.50" }).waitFor();
      expect(await panel.getByRole("button", { name: "Follow up now" }).isDisabled()).toBe(true);
      const converted = await database.db.asSystem((tx) => tx.lead.findFirstOrThrow({ where: { name: "Jonas Weber" } }));
      expect([converted.status, converted.conversionValueMinor, converted.conversionCurrency]).toEqual(["converted", 12050n, "EUR"]);

      // A slip: Undo, announced, gives the lead back its status and says what it does not bring back.
      await panel.getByRole("status").getByRole("button", { name: "Undo" }).click();
      await panel.getByRole("status").filter({ hasText: `Conversion undone: the lead's status is` }).waitFor();
      await panel.getByText("Follow-ups the conversion cancelled stay cancelled").waitFor();
      expect(await panel.getByTestId("lead-conversion").count()).toBe(0);
      const undone = await database.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: converted.id } }));
      expect([undone.status, undone.convertedAt, undone.conversionValueMinor]).toEqual([converted.statusBeforeConversion, null, null]);
      // The lead can be marked converted again.
      await panel.getByText("Mark as converted…").click();
      await confirm.getByRole("button", { name: "Mark as converted" }).waitFor();
    });
  });
});

describe("brand settings", () => {
  it("saves the owner's settings, with inline errors for what cannot be saved", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, "settings@audnix.local");
      await page.getByRole("link", { name: "Settings" }).click();
      await page.getByRole("heading", { name: "Brand settings" }).waitFor();
      expect(await page.getByLabel("Follow-up steps").inputValue()).toBe("1h, 1d, 3d");
      expect(await page.getByLabel("Send about one AI message in three as a short voice note", { exact: false }).isDisabled()).toBe(true);
      await page.getByText("Voice notes are turned off on this server (ENABLE_VOICE).").waitFor();

      await page.getByLabel("Brand name").fill("Lumen Yoga");
      await page.getByLabel("Voice rules").fill("Warm, short sentences. No emojis.");
      await page.getByLabel("Time zone").fill("Mars/Olympus");
      await page.getByLabel("Follow-up steps").fill("1d, 2h");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("alert").filter({ hasText: "Some settings need fixing" }).waitFor();
      await page.getByText("Pick a time zone such as Europe/Berlin or America/New_York.").waitFor();
      await page.getByText("Step 2 (2h) must come after step 1 (1d).").waitFor();
      expect(await page.getByLabel("Time zone").getAttribute("aria-invalid")).toBe("true");

      await page.getByLabel("Time zone").fill("Europe/Madrid");
      await page.getByLabel("Follow-up steps").fill("2h, 1d, 1d 12h");
      await page.getByLabel("End every AI-written message with a line saying it is automated", { exact: false }).check();
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByRole("status").filter({ hasText: "Settings saved." }).waitFor();

      await page.reload();
      expect(await page.getByLabel("Brand name").inputValue()).toBe("Lumen Yoga");
      expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/Madrid");
      expect(await page.getByLabel("Follow-up steps").inputValue()).toBe("2h, 1d, 1d 12h");
      expect(await page.getByLabel("End every AI-written message with a line saying it is automated", { exact: false }).isChecked()).toBe(true);
    });
  });
});
