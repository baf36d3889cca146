import { startFakeWhatsappCloud } from "@audnix/integrations";
import { afterAll, describe, expect, it } from "vitest";
import { openDashboard, sendSandboxMessage, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const NUMBER = { id: "106540352242922", displayPhoneNumber: "+1 555-0147", verifiedName: "Acme Studio", accessToken: "EAAGe2e-sandbox-run-token" };
const STALE_NOTE = "Connected to the local test fake of an earlier `pnpm dev` run";

// As `pnpm dev` starts it: the WhatsApp fake, and this launch's run id.
const whatsapp = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER] });
const started = useE2eApp({ WHATSAPP_GRAPH_BASE_URL: whatsapp.url, SANDBOX_RUN_ID: "e2e-run-current" });

afterAll(async () => {
  await whatsapp.close();
});

describe("simulating on a channel connected to the local fake", () => {
  it("offers WhatsApp once it is connected to this run's fake, and names it stale after a restart", async () => {
    const { server, browser, database } = started();
    const email = "sandbox-channels@audnix.local";
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);
      const channelSelect = page.getByLabel("Channel to simulate");
      expect(await channelSelect.locator("option").allTextContents()).toEqual(["Sandbox"]);

      await page.goto(`${server.url}/dashboard/connections`);
      const card = page.getByTestId("connection-whatsapp");
      await card.getByLabel("Phone number id").fill(NUMBER.id);
      await card.getByLabel("Access token").fill(NUMBER.accessToken);
      await card.getByRole("button", { name: "Verify & connect" }).click();
      await page.getByTestId("whatsapp-status").filter({ hasText: /^Connected$/ }).waitFor();
      expect(await page.getByTestId("whatsapp-stale-sandbox").count()).toBe(0);

      await page.goto(`${server.url}/dashboard`);
      expect(await channelSelect.locator("option").allTextContents()).toEqual(["Sandbox", "WhatsApp"]);
      await channelSelect.selectOption("whatsapp");
      await sendSandboxMessage(page, "Maya Ortiz", "Is the course still open?");
      const lead = await database.db.asSystem((tx) => tx.lead.findFirstOrThrow({ where: { name: "Maya Ortiz" } }));
      expect(lead.channel).toBe("whatsapp");

      // A later `pnpm dev` launch: the connection was made against a fake that no longer runs.
      await database.db.asSystem((tx) => tx.connection.updateMany({ where: { channel: "whatsapp" }, data: { sandboxRunId: "e2e-run-earlier" } }));
      await page.goto(`${server.url}/dashboard`);
      expect(await channelSelect.locator("option").allTextContents()).toEqual(["Sandbox"]);
      await page.getByTestId("simulate-stale-note").filter({ hasText: `WhatsApp: ${STALE_NOTE}` }).waitFor();
      await page.goto(`${server.url}/dashboard/connections`);
      await page.getByTestId("whatsapp-stale-sandbox").filter({ hasText: STALE_NOTE }).waitFor();
    });
  });
});
