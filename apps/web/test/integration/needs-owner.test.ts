import { signInWithProvider } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { useAppModules } from "./app-modules.ts";

// The lead page's "The AI couldn't answer" banner: the loader carries the flag, "Mark as handled"
// (a resource route's action) clears it, for the lead's owner only (docs/decisions/0021).

const APP_URL = "http://localhost:3000";

const app = useAppModules({}, async () => ({
  sessions: await import("../../app/session.server.ts"),
  leadPage: await import("../../app/routes/dashboard.leads.$leadId.tsx"),
  clear: await import("../../app/routes/dashboard.leads.$leadId.needs-owner.ts"),
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
