import { signInWithProvider } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { useAppModules } from "./app-modules.ts";

// The lead page's facts panel talks to /dashboard/leads/:id/facts: its list and the owner's edits,
// as the panel's fetchers send them (form posts with the session cookie).

const APP_URL = "http://localhost:3000";

const app = useAppModules({}, async () => ({
  sessions: await import("../../app/session.server.ts"),
  facts: await import("../../app/routes/dashboard.leads.$leadId.facts.ts"),
}));

async function signedIn(email: string): Promise<{ userId: string; cookie: string }> {
  const { user } = await signInWithProvider(app().database.db, { provider: "demo", providerAccountId: email, email, name: null, now: new Date() });
  const response = await app().sessions.createUserSession(new Request(`${APP_URL}/auth`), user.id, "/dashboard");
  return { userId: user.id, cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

const path = (leadId: string) => `/dashboard/leads/${leadId}/facts`;
const args = (request: Request, leadId: string) => ({ request, params: { leadId }, context: {} });

async function list(cookie: string, leadId: string): Promise<unknown> {
  const response = await app().facts.loader(args(new Request(new URL(path(leadId), APP_URL), { headers: { Cookie: cookie } }), leadId));
  expect(response.headers.get("Cache-Control")).toBe("private, no-store");
  return response.json();
}

async function post(cookie: string, leadId: string, fields: Record<string, string>): Promise<unknown> {
  const request = new Request(new URL(path(leadId), APP_URL), { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams(fields) });
  return (await app().facts.action(args(request, leadId))).json();
}

describe("the lead facts panel's route", () => {
  it("adds, corrects and deletes facts, and words a bad value for the field", async () => {
    const { userId, cookie } = await signedIn("facts-owner@shop.example");
    const lead = await app().database.db.asSystem((tx) => tx.lead.create({ data: { userId, channel: "instagram", externalId: "igsid-1" } }));

    expect(await list(cookie, lead.id)).toEqual({ facts: [] });
    expect(await post(cookie, lead.id, { intent: "add", kind: "preferred_name", value: "Sam" })).toMatchObject({ ok: true, intent: "add" });
    expect(await post(cookie, lead.id, { intent: "add", kind: "email", value: "sam at shop" })).toMatchObject({
      ok: false,
      error: "Enter an email address such as sam@shop.example.",
    });
    const listed = (await list(cookie, lead.id)) as { facts: { id: string; words: string; origin: string }[] };
    expect(listed.facts.map(({ words, origin }) => ({ words, origin }))).toEqual([{ words: "Prefers to be called Sam", origin: "added or corrected by you" }]);

    const factId = listed.facts[0]?.id ?? "";
    expect(await post(cookie, lead.id, { intent: "update", factId, value: "Samantha" })).toMatchObject({ ok: true });
    expect(await post(cookie, lead.id, { intent: "remove", factId })).toMatchObject({ ok: true, message: "Fact deleted." });
    expect(await list(cookie, lead.id)).toEqual({ facts: [] });
  });

  it("shows another owner's lead as not found and changes nothing", async () => {
    const owner = await signedIn("facts-a@shop.example");
    const stranger = await signedIn("facts-b@shop.example");
    const lead = await app().database.db.asSystem((tx) => tx.lead.create({ data: { userId: owner.userId, channel: "instagram", externalId: "igsid-2" } }));
    expect(await list(stranger.cookie, lead.id)).toEqual({ error: "Lead not found." });
    expect(await post(stranger.cookie, lead.id, { intent: "add", kind: "budget", value: "$200" })).toMatchObject({ ok: false, error: "Lead not found." });
    expect(await list(owner.cookie, lead.id)).toEqual({ facts: [] });
  });
});
