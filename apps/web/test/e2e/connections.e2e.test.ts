import { markConnectionNeedsReconnect } from "@audnix/db";
import { startFakeSmtpServer, startFakeWhatsappCloud } from "@audnix/integrations";
import { afterAll, describe, expect, it } from "vitest";
import { openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";

const NUMBER = { id: "106540352242922", displayPhoneNumber: "+1 555-0147", verifiedName: "Acme Studio", accessToken: "EAAGe2e-whatsapp-secret-token" };
const SMTP_USER = { user: "owner@acme.test", password: "e2e-smtp-secret-password" };

// The server's environment names the fake's URL, so the fakes run before the app starts.
const whatsapp = await startFakeWhatsappCloud({ phoneNumbers: [NUMBER] });
const smtp = await startFakeSmtpServer({ users: [SMTP_USER] });

const started = useE2eApp({ WHATSAPP_GRAPH_BASE_URL: whatsapp.url });

afterAll(async () => {
  await whatsapp.close();
  await smtp.close();
});

describe("connections page", () => {
  it("connects WhatsApp and email after checking them with the real protocols, disconnects WhatsApp and flags reconnects", async () => {
    const { server, browser, database } = started();
    const email = "connections@audnix.local";
    await withPage(browser, async (page) => {
      await openDashboard(page, server.url, email);
      await page.getByRole("link", { name: "Connections" }).click();
      await page.waitForURL(`${server.url}/dashboard/connections`);
      for (const channel of ["instagram", "whatsapp", "email"]) {
        await page.getByTestId(`${channel}-status`).filter({ hasText: /^Not connected$/ }).waitFor();
      }
      // No Instagram app in this environment: the button says which variables to set.
      expect(await page.getByRole("button", { name: "Connect Instagram" }).isDisabled()).toBe(true);
      await page.getByText("Not configured: set INSTAGRAM_APP_ID and INSTAGRAM_APP_SECRET to enable.").waitFor();

      const whatsappCard = page.getByTestId("connection-whatsapp");
      await whatsappCard.getByLabel("Phone number id").fill(NUMBER.id);
      await whatsappCard.getByLabel("Access token").fill("EAAG-a-token-meta-never-issued");
      await whatsappCard.getByRole("button", { name: "Verify & connect" }).click();
      await whatsappCard.getByTestId("whatsapp-error").filter({ hasText: /invalid or expired/ }).waitFor();
      expect(await page.getByTestId("whatsapp-status").textContent()).toBe("Not connected");

      await whatsappCard.getByLabel("Access token").fill(NUMBER.accessToken);
      await whatsappCard.getByRole("button", { name: "Verify & connect" }).click();
      await page.getByTestId("whatsapp-status").filter({ hasText: /^Connected$/ }).waitFor();
      await whatsappCard.getByText("Acme Studio (+1 555-0147)").waitFor();
      expect(await page.content()).not.toContain(NUMBER.accessToken);

      const emailCard = page.getByTestId("connection-email");
      await emailCard.getByLabel("From address").fill("hello@acme.test");
      await emailCard.getByLabel("From name (optional)").fill("Acme Studio");
      await emailCard.getByLabel("Host").fill(smtp.host);
      await emailCard.getByLabel("Port", { exact: true }).fill(String(smtp.port));
      await emailCard.getByLabel("User name").fill(SMTP_USER.user);
      await emailCard.getByLabel("Password").fill("not-the-password");
      await emailCard.getByRole("button", { name: "Verify & connect" }).click();
      await emailCard.getByTestId("email-error").filter({ hasText: /rejected the user name or password/ }).waitFor();

      await emailCard.getByLabel("Password").fill(SMTP_USER.password);
      await emailCard.getByRole("button", { name: "Verify & connect" }).click();
      await page.getByTestId("email-status").filter({ hasText: /^Connected$/ }).waitFor();
      await emailCard.getByText("Acme Studio <hello@acme.test>").waitFor();
      // The owner never types an inbound address: Audnix assigns one nobody can guess, with what to do with it.
      expect(await emailCard.getByRole("textbox", { name: /inbound/i }).count()).toBe(0);
      const inbound = await emailCard.getByTestId("email-inbound-address").textContent();
      expect(inbound).toMatch(/^acme-studio-[a-z2-7]{16}@inbound\.audnix\.local$/);
      await emailCard.getByTestId("email-instructions").filter({ hasText: "Forward your business mailbox to this address" }).waitFor();
      expect(await emailCard.getByTestId("email-webhook-url").textContent()).toBe(`${server.url}/api/webhook/email?format=mime`);
      expect(await page.content()).not.toContain(SMTP_USER.password);

      // Disconnect asks first; done, it is announced with an Undo that brings the number back as it was.
      await whatsappCard.getByText("Disconnect WhatsApp…").click();
      await whatsappCard.getByRole("form", { name: "Disconnect WhatsApp" }).getByText("For 10 minutes you can undo this").waitFor();
      expect(await page.getByTestId("whatsapp-status").textContent()).toBe("Connected");
      await whatsappCard.getByRole("button", { name: "Disconnect WhatsApp" }).click();
      await page.getByTestId("whatsapp-status").filter({ hasText: /^Not connected$/ }).waitFor();
      const outcome = whatsappCard.getByRole("status").filter({ hasText: "WhatsApp is disconnected: nothing is sent or received there." });
      await outcome.waitFor();
      expect(await page.getByTestId("email-status").textContent()).toBe("Connected");
      await outcome.getByRole("button", { name: "Undo" }).click();
      await page.getByTestId("whatsapp-status").filter({ hasText: /^Connected$/ }).waitFor();
      await whatsappCard.getByRole("status").filter({ hasText: "WhatsApp is connected again, as it was." }).waitFor();
      await whatsappCard.getByText("Acme Studio (+1 555-0147)").waitFor();

      await whatsappCard.getByText("Disconnect WhatsApp…").click();
      await whatsappCard.getByRole("button", { name: "Disconnect WhatsApp" }).click();
      await page.getByTestId("whatsapp-status").filter({ hasText: /^Not connected$/ }).waitFor();

      // A channel that stopped working is announced on every dashboard page.
      const owner = await database.db.asSystem((tx) => tx.user.findUniqueOrThrow({ where: { email } }));
      await markConnectionNeedsReconnect(database.db, { userId: owner.id, channel: "email", reason: "The SMTP password was changed.", now: new Date() });
      await page.goto(`${server.url}/dashboard`);
      const banner = page.getByTestId("reconnect-banner");
      await banner.filter({ hasText: "Email needs reconnecting: The SMTP password was changed." }).waitFor();
      await banner.getByRole("link", { name: "Reconnect" }).click();
      await page.waitForURL(`${server.url}/dashboard/connections`);
      await page.getByTestId("email-status").filter({ hasText: /^Needs reconnect$/ }).waitFor();
      // Until the owner reconnects (which keeps it), the card still shows the address their mailbox forwards to.
      expect(await emailCard.getByTestId("email-inbound-address").textContent()).toBe(inbound);

      // The Instagram callback lands here with its outcome in the query.
      await page.goto(`${server.url}/dashboard/connections?instagram=in_use`);
      await page.getByTestId("connections-flash").filter({ hasText: "already connected to another Audnix account" }).waitFor();
    });
  });
});
