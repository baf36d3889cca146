import { randomBytes } from "node:crypto";
import { signMetaBody, whatsappFake } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const WA_SECRET = randomBytes(24).toString("hex");
recordTestSecret(WA_SECRET);
const WA_NUMBER = { phoneNumberId: "106540352242777", displayPhoneNumber: "15550783777" };
const LEAD = { waId: "16505557777", name: "Rosa Diaz" };

const started = useE2eApp({ WHATSAPP_APP_SECRET: WA_SECRET, WHATSAPP_WEBHOOK_VERIFY_TOKEN: randomBytes(12).toString("hex") });

/** What WhatsApp's servers do: post the statuses, signed with the app secret, to our webhook. */
async function postStatuses(baseUrl: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${baseUrl}/api/webhook/whatsapp`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signMetaBody(body, WA_SECRET) },
  });
  return response.status;
}

const notReloaded = (page: Page) => page.evaluate(() => document.body.getAttribute("data-not-reloaded") === "yes");
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe("delivery status on the lead page", () => {
  it("shows Sent, then Delivered, then Read with its time as WhatsApp reports them, live; a refusal in our words", async () => {
    const { server, browser, database } = started();
    const email = "delivery-status@audnix.local";
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);
      const leadId = await database.db.asSystem(async (tx) => {
        const owner = await tx.user.findUniqueOrThrow({ where: { email } });
        await tx.connection.create({ data: { userId: owner.id, channel: "whatsapp", externalAccountId: WA_NUMBER.phoneNumberId, status: "connected" } });
        const lead = await tx.lead.create({ data: { userId: owner.id, channel: "whatsapp", externalId: LEAD.waId, name: LEAD.name } });
        const sent = { userId: owner.id, leadId: lead.id, channel: "whatsapp" as const, direction: "outbound" as const, author: "ai" as const, deliveryStatus: "sent" as const };
        await tx.message.create({ data: { ...sent, providerMessageId: "wamid.e2e-hello", body: "Hi Rosa! The blue hoodie is back in stock.", sentAt: new Date(Date.now() - 120_000) } });
        await tx.message.create({ data: { ...sent, providerMessageId: "wamid.e2e-later", body: "Still thinking about the hoodie?", sentAt: new Date(Date.now() - 60_000) } });
        return lead.id;
      });

      await page.goto(`${server.url}/dashboard/leads/${leadId}`);
      await page.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
      const hello = page.getByTestId("timeline-message").filter({ hasText: "The blue hoodie is back in stock." }).getByTestId("delivery-status");
      const later = page.getByTestId("timeline-message").filter({ hasText: "Still thinking about the hoodie?" }).getByTestId("delivery-status");
      expect(await hello.innerText()).toBe("Sent");
      await page.evaluate(() => document.body.setAttribute("data-not-reloaded", "yes"));

      const wa = whatsappFake({ seed: "e2e-delivery", startAt: new Date(Date.now() - 30_000) });
      const statuses = (status: "delivered" | "read" | "failed", id: string) => wa.delivery([wa.entry([wa.status(WA_NUMBER, id, LEAD.waId, status)])]);
      expect(await postStatuses(server.url, statuses("delivered", "wamid.e2e-hello"))).toBe(200);
      await hello.filter({ hasText: /^Delivered$/ }).waitFor();

      const read = statuses("read", "wamid.e2e-hello");
      const readAt = new Date(Number(read.entry[0]?.changes[0]?.value.statuses?.[0]?.timestamp) * 1000);
      expect(await postStatuses(server.url, read)).toBe(200);
      await hello.filter({ hasText: /^Read / }).locator(`time[datetime="${readAt.toISOString()}"]`).waitFor();

      // A late "delivered" after "read" changes nothing; a refusal of the other message shows why.
      expect(await postStatuses(server.url, statuses("delivered", "wamid.e2e-hello"))).toBe(200);
      expect(await postStatuses(server.url, statuses("failed", "wamid.e2e-later"))).toBe(200);
      await later.filter({ hasText: "Not delivered: not a WhatsApp number, or the lead's WhatsApp cannot receive this message" }).waitFor();
      expect(await hello.innerText()).toMatch(/^Read /);
      expect(await notReloaded(page)).toBe(true);

      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await fitsWidth(page)).toBe(true);
      }
    });
  });
});
