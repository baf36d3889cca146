import { signInWithProvider } from "@audnix/db";
import { describe, expect, it } from "vitest";
import { callAction } from "./provider-sign-in-harness.ts";
import type { RateLimitTier } from "../../app/rate-limit.server.ts";
import { useAppModules } from "./app-modules.ts";

const APP_URL = "http://localhost:3000";

const app = useAppModules({}, async () => ({
  limits: await import("../../app/rate-limit.server.ts"),
  sessions: await import("../../app/session.server.ts"),
  dashboardHome: await import("../../app/routes/dashboard._index.tsx"),
  connections: await import("../../app/routes/dashboard.connections.tsx"),
  leadPage: await import("../../app/routes/dashboard.leads.$leadId.tsx"),
  trpc: await import("../../app/routes/api.trpc.$.ts"),
}));

/** A signed-in owner, as the browser's Cookie header. */
async function signedIn(email: string): Promise<{ userId: string; cookie: string }> {
  const { user } = await signInWithProvider(app().database.db, { provider: "demo", providerAccountId: email, email, name: null, now: new Date() });
  const response = await app().sessions.createUserSession(new Request(`${APP_URL}/auth`), user.id, "/dashboard");
  return { userId: user.id, cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

/** Spends the rest of `key`'s budget in `tier`, as that many earlier clicks would have. */
async function exhaust(tier: RateLimitTier, key: string, alreadySpent = 0) {
  const { limits } = app();
  for (let spent = alreadySpent; spent < limits.RATE_LIMIT_RULES[tier].points; spent++) {
    expect(await limits.rateLimits().consume(tier, key)).toEqual({ allowed: true });
  }
}

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  new Request(new URL(path, APP_URL), { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams(fields) });

function expectTooMany(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(0);
  return retryAfter;
}

describe("rate-limit counters", () => {
  it("refuses past the budget with the wait, per key, shared by every web process on the database", async () => {
    const { limits, database } = app();
    const rules = { ...limits.RATE_LIMIT_RULES, preview: { points: 2, windowSeconds: 600, refusal: "Too many previews." } };
    const first = limits.createRateLimits(database.db.pool, rules);
    const second = limits.createRateLimits(database.db.pool, rules);
    expect(await first.consume("preview", "user-a")).toEqual({ allowed: true });
    expect(await second.consume("preview", "user-a")).toEqual({ allowed: true });
    const refused = await first.consume("preview", "user-a");
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    if (refused.allowed) return;
    expect(refused.retryAfterSeconds).toBeGreaterThan(590);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(await second.consume("preview", "user-b")).toEqual({ allowed: true });
    expect(await first.consume("simulate", "user-a")).toEqual({ allowed: true });
  });

  it("words the wait for people", () => {
    const { rateLimitMessage } = app().limits;
    expect(rateLimitMessage("preview", 3_599)).toBe("You have asked for many drafts in a short time. Try again in 60 minutes.");
    expect(rateLimitMessage("connect", 61)).toBe("Too many connection attempts. Try again in 2 minutes.");
    expect(rateLimitMessage("api", 12)).toBe("Too many requests. Try again in 12 seconds.");
  });
});

describe("per-user limits on the dashboard's actions", () => {
  it("simulate: the next message past the budget gets 429, Retry-After and a sentence; another owner is unaffected", async () => {
    const owner = await signedIn("simulate-owner@example.com");
    const other = await signedIn("simulate-other@example.com");
    await exhaust("simulate", owner.userId);
    const response = await callAction(app().dashboardHome.action, post("/dashboard?index", owner.cookie, { name: "Maya", text: "Hi" }));
    expectTooMany(response);
    expect(await response.json()).toMatchObject({ ok: false, formError: expect.stringMatching(/^Too many simulated messages\. Try again in \d+ minutes\.$/) });

    const allowed = await callAction(app().dashboardHome.action, post("/dashboard?index", other.cookie, { name: "Maya", text: "Hi" }));
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toMatchObject({ ok: true });
  });

  it("draft a reply: refused past the budget before the model is called", async () => {
    const owner = await signedIn("preview-owner@example.com");
    const simulated = await callAction(app().dashboardHome.action, post("/dashboard?index", owner.cookie, { name: "Ada", text: "Hello" }));
    const { leadId } = (await simulated.json()) as { leadId: string };
    const previewAction = (cookie: string) =>
      callAction((args) => app().leadPage.action({ ...args, params: { leadId } }), post(`/dashboard/leads/${leadId}`, cookie, { intent: "draft-reply" }));

    expect(await (await previewAction(owner.cookie)).json()).toMatchObject({ ok: true, intent: "draft-reply" });
    await exhaust("preview", owner.userId, 1);
    const response = await previewAction(owner.cookie);
    expectTooMany(response);
    expect(await response.json()).toEqual({ ok: false, error: expect.stringMatching(/^You have asked for many drafts in a short time\. Try again in/) });
  });

  it("verify & connect: refused past the budget, with the form's error", async () => {
    const owner = await signedIn("connect-owner@example.com");
    await exhaust("connect", owner.userId);
    const response = await callAction(
      app().connections.action,
      post("/dashboard/connections", owner.cookie, { intent: "connect-whatsapp", phoneNumberId: "100000000000001", accessToken: "token" }),
    );
    expectTooMany(response);
    expect(await response.json()).toMatchObject({ ok: false, formError: expect.stringMatching(/^Too many connection attempts\./) });
  });
});

describe("/api/trpc", () => {
  it("spends the per-user API budget and answers 429 with Retry-After past it; page loaders do not spend it", async () => {
    const owner = await signedIn("api-owner@example.com");
    const other = await signedIn("api-other@example.com");
    const me = (cookie: string) =>
      app().trpc.loader({ request: new Request(`${APP_URL}/api/trpc/viewer.me`, { headers: { Cookie: cookie } }), params: {}, context: {} });

    expect((await me(owner.cookie)).status).toBe(200);
    await exhaust("api", owner.userId, 1);
    // The dashboard's own loaders call the same procedures without spending the API budget.
    expect((await app().dashboardHome.loader({ request: new Request(`${APP_URL}/dashboard`, { headers: { Cookie: owner.cookie } }), params: {}, context: {} })).leads).toEqual([]);

    const refused = await me(owner.cookie);
    expectTooMany(refused);
    const body = (await refused.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json).toMatchObject({ message: expect.stringMatching(/^Too many requests: try again in \d+ seconds\.$/), data: { code: "TOO_MANY_REQUESTS" } });
    expect((await me(other.cookie)).status).toBe(200);
  });
});
