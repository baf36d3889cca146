import { randomBytes } from "node:crypto";
import { listConnections, signInWithProvider } from "@audnix/db";
import { withClient } from "@audnix/db/admin";
import { startFakeInstagram } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import { afterAll, describe, expect, it } from "vitest";
import { useAppModules } from "./app-modules.ts";

const APP_URL = "http://localhost:3999";
const IG_ACCOUNT = { userId: "17841400000000077", appScopedId: "26000000000000077", username: "bloom_studio" };
const SHARED_ACCOUNT = { userId: "17841400000000078", appScopedId: "26000000000000078", username: "shared_shop" };

// The fake listens before the app is configured: its URL is part of the app's environment.
const fake = await startFakeInstagram({ users: [IG_ACCOUNT, SHARED_ACCOUNT] });
afterAll(() => fake.close());
const encryptionKey = randomBytes(32).toString("base64");
recordTestSecret(encryptionKey);

const app = useAppModules(
  {
    APP_URL,
    ENCRYPTION_KEY: encryptionKey,
    INSTAGRAM_APP_ID: fake.appId,
    INSTAGRAM_APP_SECRET: fake.appSecret,
    INSTAGRAM_OAUTH_BASE_URL: fake.url,
    INSTAGRAM_GRAPH_BASE_URL: fake.url,
  },
  async () => ({
    sessions: await import("../../app/session.server.ts"),
    startRoute: await import("../../app/routes/api.connect.instagram.ts"),
    callbackRoute: await import("../../app/routes/api.connect.instagram.callback.ts"),
  }),
);

/** A signed-in owner, as the browser's Cookie header. */
async function signedIn(email: string): Promise<{ userId: string; cookie: string }> {
  const { user } = await signInWithProvider(app().database.db, { provider: "demo", providerAccountId: email, email, name: null, now: new Date() });
  const response = await app().sessions.createUserSession(new Request(`${APP_URL}/auth`), user.id, "/dashboard");
  return { userId: user.id, cookie: cookiePart(response) };
}

function cookiePart(response: Response): string {
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

const routeArgs = (request: Request) => ({ request, params: {}, context: {} });

/** Clicks "Connect Instagram": the redirect to the consent screen and the browser's cookies after it. */
async function startConnect(cookie: string): Promise<{ consent: URL; cookies: string }> {
  const response = await app().startRoute.loader(routeArgs(new Request(`${APP_URL}/api/connect/instagram`, { headers: { Cookie: cookie } })));
  expect(response.status).toBe(302);
  return { consent: new URL(response.headers.get("Location") ?? ""), cookies: `${cookie}; ${cookiePart(response)}` };
}

/** The owner's answer on the fake consent screen: where Instagram sends the browser back. */
async function answerConsent(consent: URL, decision: "allow" | "deny", account = IG_ACCOUNT): Promise<URL> {
  const page = await fetch(consent);
  expect(await page.text()).toContain("Allow");
  const decisionUrl = new URL("/oauth/authorize/decision", fake.url);
  for (const name of ["redirect_uri", "state"]) decisionUrl.searchParams.set(name, consent.searchParams.get(name) ?? "");
  decisionUrl.searchParams.set("decision", decision);
  decisionUrl.searchParams.set("user_id", account.userId);
  const redirect = await fetch(decisionUrl, { redirect: "manual" });
  const back = new URL(redirect.headers.get("Location") ?? "");
  // Browsers never send the fragment (Meta's `#_`) to the server.
  back.hash = "";
  return back;
}

async function callback(url: URL, cookies: string): Promise<string | null> {
  const response = await app().callbackRoute.loader(routeArgs(new Request(url, { headers: { Cookie: cookies } })));
  expect(response.status).toBe(302);
  // The attempt's cookie is spent, whatever the outcome.
  expect(response.headers.get("Set-Cookie")).toMatch(/__Host-audnix_connect_instagram=;.*Max-Age=0/);
  return response.headers.get("Location");
}

describe("connecting Instagram", () => {
  it("sends the owner to the consent screen with the business scopes and a secure state cookie", async () => {
    const owner = await signedIn("consent@shop.example");
    const response = await app().startRoute.loader(routeArgs(new Request(`${APP_URL}/api/connect/instagram`, { headers: { Cookie: owner.cookie } })));
    const consent = new URL(response.headers.get("Location") ?? "");
    expect(`${consent.origin}${consent.pathname}`).toBe(`${fake.url}/oauth/authorize`);
    expect(consent.searchParams.get("scope")).toBe("instagram_business_basic,instagram_business_manage_messages");
    expect(consent.searchParams.get("redirect_uri")).toBe(`${APP_URL}/api/connect/instagram/callback`);
    expect(consent.searchParams.get("state")?.length).toBeGreaterThanOrEqual(32);
    const setCookie = response.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^__Host-audnix_connect_instagram=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Lax/);
  });

  it("asks a visitor who is not signed in to sign in first", async () => {
    const thrown = await app().startRoute.loader(routeArgs(new Request(`${APP_URL}/api/connect/instagram`))).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).headers.get("Location")).toMatch(/^\/auth\?redirectTo=/);
  });

  it("stores the account encrypted, shows @username, and subscribes it to messages", async () => {
    const owner = await signedIn("owner@shop.example");
    const { consent, cookies } = await startConnect(owner.cookie);
    const back = await answerConsent(consent, "allow");

    expect(await callback(back, cookies)).toBe("/dashboard/connections?instagram=connected");

    expect(await listConnections(app().database.db, { userId: owner.userId })).toEqual([
      expect.objectContaining({ channel: "instagram", status: "connected", displayName: "@bloom_studio", externalAccountId: IG_ACCOUNT.userId }),
    ]);
    expect(fake.subscriptions.get(IG_ACCOUNT.userId)).toEqual(["messages", "messaging_seen"]);
    const token = fake.issuedTokens().findLast((t) => t.kind === "long_lived")?.token ?? "";
    const raw = await withClient(app().database.adminUrl, async (c) => JSON.stringify((await c.query("SELECT * FROM connections")).rows));
    expect(token).not.toBe("");
    expect(raw).not.toContain(token);
    const [expiry] = (await listConnections(app().database.db, { userId: owner.userId })).map((c) => c.tokenExpiresAt?.getTime() ?? 0);
    expect((expiry ?? 0) - Date.now()).toBeGreaterThan(59 * 24 * 3_600_000);
  });

  it("rejects a callback whose state is not this browser's attempt", async () => {
    const owner = await signedIn("tampered@shop.example");
    const { consent, cookies } = await startConnect(owner.cookie);
    const back = await answerConsent(consent, "allow");
    back.searchParams.set("state", randomBytes(32).toString("base64url"));

    expect(await callback(back, cookies)).toBe("/dashboard/connections?instagram=invalid_state");
    expect(await listConnections(app().database.db, { userId: owner.userId })).toEqual([]);
  });

  it("rejects a callback carried into another owner's browser", async () => {
    const victim = await signedIn("victim@shop.example");
    const attacker = await signedIn("attacker@shop.example");
    const { consent, cookies } = await startConnect(attacker.cookie);
    const back = await answerConsent(consent, "allow");
    // The victim's browser has a session but never started this attempt.
    expect(await callback(back, `${victim.cookie}; ${cookies.split("; ")[1]}`)).toBe("/dashboard/connections?instagram=invalid_state");
    expect(await listConnections(app().database.db, { userId: victim.userId })).toEqual([]);
  });

  it("comes back without a connection when the owner denies access", async () => {
    const owner = await signedIn("denied@shop.example");
    const { consent, cookies } = await startConnect(owner.cookie);
    const back = await answerConsent(consent, "deny");
    expect(back.searchParams.get("error")).toBe("access_denied");

    expect(await callback(back, cookies)).toBe("/dashboard/connections?instagram=denied");
    expect(await listConnections(app().database.db, { userId: owner.userId })).toEqual([]);
  });

  it("says so when the Instagram account is already connected to another owner", async () => {
    const first = await signedIn("first@shop.example");
    const firstAttempt = await startConnect(first.cookie);
    expect(await callback(await answerConsent(firstAttempt.consent, "allow", SHARED_ACCOUNT), firstAttempt.cookies)).toBe(
      "/dashboard/connections?instagram=connected",
    );
    const second = await signedIn("second@shop.example");
    const { consent, cookies } = await startConnect(second.cookie);
    expect(await callback(await answerConsent(consent, "allow", SHARED_ACCOUNT), cookies)).toBe("/dashboard/connections?instagram=in_use");
    expect(await listConnections(app().database.db, { userId: second.userId })).toEqual([]);
  });
});
