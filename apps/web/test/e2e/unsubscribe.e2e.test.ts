import { ensureUnsubscribeToken } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { useE2eApp } from "./e2e-app.ts";

const started = useE2eApp();

async function leadWithToken(email: string): Promise<{ owner: string; leadId: string; token: string }> {
  const { db } = started().database;
  const { owner, leadId } = await db.asSystem(async (tx) => {
    const user = await tx.user.create({ data: { email: `owner-${email}`, plan: "starter" } });
    const lead = await tx.lead.create({ data: { userId: user.id, channel: "email", externalId: email, email, status: "contacted" } });
    return { owner: user.id, leadId: lead.id };
  });
  return { owner, leadId, token: await ensureUnsubscribeToken(db, { userId: owner, leadId }) };
}

async function statusOf(owner: string, leadId: string): Promise<string> {
  const lead = await started().database.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId } }));
  return lead.status;
}

describe("unsubscribe link", () => {
  it("asks first, then unsubscribes the lead on confirmation", async () => {
    const { server, browser } = started();
    const { owner, leadId, token } = await leadWithToken("ana@example.com");
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/unsubscribe/${encodeURIComponent(token)}`);
      await page.getByText("Stop all follow-up messages from this business").waitFor();
      // Opening the link (as mail scanners do) changes nothing.
      expect(await statusOf(owner, leadId)).toBe("contacted");

      await page.getByRole("button", { name: "Unsubscribe" }).click();
      await page.getByRole("status").filter({ hasText: "You are unsubscribed" }).waitFor();
      expect(await statusOf(owner, leadId)).toBe("opted_out");
    } finally {
      await page.close();
    }
  });

  it("accepts the RFC 8058 one-click POST from a mail client", async () => {
    const { server } = started();
    const { owner, leadId, token } = await leadWithToken("ben@example.com");
    const response = await fetch(`${server.url}/unsubscribe/${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await statusOf(owner, leadId)).toBe("opted_out");
  });

  it("says an unknown link is not valid and changes nothing", async () => {
    const { server, browser } = started();
    const { owner, leadId, token } = await leadWithToken("cy@example.com");
    const forged = `${token.split(".")[0]}.${"x".repeat(32)}`;
    const page = await browser.newPage();
    try {
      const response = await page.goto(`${server.url}/unsubscribe/${encodeURIComponent(forged)}`);
      expect(response?.status()).toBe(404);
      await page.getByRole("alert").filter({ hasText: "This unsubscribe link is not valid" }).waitFor();
      const post = await fetch(`${server.url}/unsubscribe/${encodeURIComponent(forged)}`, { method: "POST", body: new URLSearchParams() });
      expect(post.status).toBe(404);
      expect(await statusOf(owner, leadId)).toBe("contacted");
    } finally {
      await page.close();
    }
  });
});
