import { signInWithProvider } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { useAppModules } from "./app-modules.ts";

// The lead page's "The AI couldn't answer" banner: the loader carries the flag, "Mark as handled"
// (a resource route's action) clears it, for the lead's owner only (docs/decisions/0021). And the
// "Needs you" queue's other forms: the lead's details and the email alert (0027).

const APP_URL = "http://localhost:3000";

const app = useAppModules({}, async () => ({
  sessions: await import("../../app/session.server.ts"),
  leadPage: await import("../../app/routes/dashboard.leads.$leadId.tsx"),
  clear: await import("../../app/routes/dashboard.leads.$leadId.needs-owner.ts"),
  details: await import("../../app/routes/dashboard.leads.$leadId.details.ts"),
  emailAlert: await import("../../app/routes/dashboard.needs-you-email.ts"),
}));

async function signedIn(email: string): Promise<{ userId: string; cookie: string }> {
  const { user } = await signInWithProvider(app().database.db, { provider: "demo", providerAccountId: email, email, name: null, now: new Date() });
  const response = await app().sessions.createUserSession(new Request(`${APP_URL}/auth`), user.id, "/dashboard");
  return { userId: user.id, cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

async function flaggedLead(userId: string): Promise<string> {
  const lead = await app().database.db.asSystem((tx) =>
    tx.lead.create({
      data: {
        userId,
        externalId: `sandbox-${userId}`,
        name: "Maria Garcia",
        channel: "sandbox",
        needsOwnerAt: new Date(),
        needsOwnerReason: "unanswered_question",
        needsOwnerDetail: "Do you sell surfboards?",
      },
    }),
  );
  return lead.id;
}

/** What an action or loader answered, as the browser would receive it. */
async function answered(run: () => Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const settled = await run().catch((thrown: unknown) => thrown);
  if (settled instanceof Response) return { status: settled.status, body: null };
  if (typeof settled === "object" && settled !== null && "type" in settled && settled.type === "DataWithResponseInit") {
    const { data, init } = settled as unknown as { data: unknown; init: ResponseInit | null };
    return { status: init?.status ?? 200, body: data };
  }
  if (settled instanceof Error) throw settled;
  return { status: 200, body: settled };
}

const clearRequest = (leadId: string, cookie: string) =>
  new Request(`${APP_URL}/dashboard/leads/${leadId}/needs-owner`, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams() });

describe("Mark as handled", () => {
  it("clears the flag the lead page shows, for the lead's owner only", async () => {
    const owner = await signedIn("needs-owner@shop.example");
    const stranger = await signedIn("needs-owner-stranger@shop.example");
    const leadId = await flaggedLead(owner.userId);
    const page = () =>
      app().leadPage.loader({ request: new Request(`${APP_URL}/dashboard/leads/${leadId}`, { headers: { Cookie: owner.cookie } }), params: { leadId }, context: {} });

    expect((await page()).needsOwner).toMatchObject({ reason: "unanswered_question", detail: "Do you sell surfboards?" });

    const refused = await answered(() => app().clear.action({ request: clearRequest(leadId, stranger.cookie), params: { leadId }, context: {} }));
    expect(refused).toEqual({ status: 404, body: { ok: false, error: "Lead not found." } });
    expect((await page()).needsOwner).not.toBeNull();

    const cleared = await answered(() => app().clear.action({ request: clearRequest(leadId, owner.cookie), params: { leadId }, context: {} }));
    expect(cleared).toEqual({ status: 200, body: { ok: true, cleared: true } });
    expect((await page()).needsOwner).toBeNull();

    const anonymous = await answered(() => app().clear.action({ request: clearRequest(leadId, ""), params: { leadId }, context: {} }));
    expect(anonymous.status).toBe(302);
  });
});

const formRequest = (path: string, cookie: string, fields: Record<string, string>) =>
  new Request(`${APP_URL}${path}`, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams(fields) });

describe("Edit details", () => {
  const fields = { name: "Maria García", email: "Maria@Shop.Example", phone: "+34 612 34 56 78", tags: "vip, VIP, wholesale", notes: "Call after 5." };

  it("saves the owner's details, answers each field's problem, and is nobody else's", async () => {
    const owner = await signedIn("details-owner@shop.example");
    const stranger = await signedIn("details-stranger@shop.example");
    const leadId = await flaggedLead(owner.userId);
    const save = (cookie: string, values: Record<string, string>) =>
      answered(() => app().details.action({ request: formRequest(`/dashboard/leads/${leadId}/details`, cookie, values), params: { leadId }, context: {} }));

    expect(await save(owner.cookie, { ...fields, email: "maria@", phone: "612" })).toEqual({
      status: 400,
      body: {
        ok: false,
        errors: { email: "Enter an email address such as sam@shop.example.", phone: "Enter the number with its country code, such as +49 151 12345678." },
        formError: null,
      },
    });
    expect(await save(owner.cookie, { ...fields, tags: "x,".repeat(500) })).toMatchObject({ status: 400, body: { ok: false, errors: { tags: expect.any(String) } } });
    expect(await save(stranger.cookie, fields)).toEqual({ status: 404, body: { ok: false, errors: {}, formError: "Lead not found." } });
    expect((await save("", fields)).status).toBe(302);

    expect(await save(owner.cookie, fields)).toEqual({ status: 200, body: { ok: true, updated: ["name", "email", "phone", "tags", "notes"] } });
    const page = await app().leadPage.loader({ request: new Request(`${APP_URL}/dashboard/leads/${leadId}`, { headers: { Cookie: owner.cookie } }), params: { leadId }, context: {} });
    expect(page.lead).toMatchObject({ name: "Maria García", email: "maria@shop.example", phone: "+34612345678", tags: ["vip", "wholesale"], notes: "Call after 5." });
  });
});

describe("Email me when a lead needs me", () => {
  it("turns the owner's alert on and off, and refuses anything else", async () => {
    const owner = await signedIn("alert-owner@shop.example");
    const set = (enabled: string) =>
      answered(() => app().emailAlert.action({ request: formRequest("/dashboard/needs-you-email", owner.cookie, { enabled }), params: {}, context: {} }));
    expect(await set("on")).toEqual({ status: 200, body: { ok: true, enabled: true } });
    const stored = () => app().database.db.asUser(owner.userId, (tx) => tx.brandSettings.findUniqueOrThrow({ where: { userId: owner.userId } }));
    expect((await stored()).needsYouEmail).toBe(true);
    expect(await set("maybe")).toEqual({ status: 400, body: { ok: false, error: "Choose on or off." } });
    expect(await set("off")).toEqual({ status: 200, body: { ok: true, enabled: false } });
    expect((await stored()).needsYouEmail).toBe(false);
  });
});
