import { randomBytes } from "node:crypto";
import { startFakeGoogle } from "@audnix/integrations";
import { afterAll, describe, expect, it } from "vitest";
import { googleEnv } from "../provider-fakes.ts";
import {
  appRequest,
  call,
  callAction,
  CookieJar,
  countRows,
  expectRejected,
  findOwner,
  SESSION_COOKIE,
  startSignIn,
  unescapeHtml,
  useSignInApp,
} from "./provider-sign-in-harness.ts";

const OWNER = { sub: "109876543210987654321", email: "Owner@Example.com", emailVerified: true, name: "Ada Owner" };
const UNVERIFIED = { sub: "100000000000000000777", email: "unverified@example.com", emailVerified: false, name: "Unverified" };
const DAY_MS = 24 * 60 * 60 * 1000;

// The fake listens before the app is configured: its URL is part of the app's environment.
const google = await startFakeGoogle({ identities: [OWNER, UNVERIFIED] });
afterAll(() => google.close());

const app = useSignInApp(googleEnv(google));

/** Starts a sign-in and answers Google's consent page; returns the callback URL Google redirects to. */
async function consent(jar: CookieJar, choice: "Allow" | "Deny", identity = 0, redirectTo?: string): Promise<URL> {
  const authorizeUrl = await startSignIn(app().googleStart.action, "google", jar, redirectTo);
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const links = [...html.matchAll(/<a href="([^"]+)">(Allow|Deny)<\/a>/g)].filter((match) => match[2] === choice);
  const link = links[choice === "Allow" ? identity : 0]?.[1];
  if (!link) throw new Error(`no ${choice} link on the consent page:\n${html}`);
  const decision = await fetch(new URL(unescapeHtml(link), google.url), { redirect: "manual" });
  expect(decision.status).toBe(302);
  return new URL(decision.headers.get("Location") ?? "");
}

function callback(url: URL, jar: CookieJar): Promise<Response> {
  return call(app().googleCallback.loader, appRequest(`${url.pathname}${url.search}`, jar));
}

async function signIn(jar = new CookieJar(), redirectTo?: string): Promise<{ response: Response; jar: CookieJar }> {
  const response = await callback(await consent(jar, "Allow", 0, redirectTo), jar);
  jar.store(response);
  return { response, jar };
}

describe("Sign in with Google", () => {
  it("refuses the 21st sign-in start from one address within 15 minutes with 429 and Retry-After; other addresses go on", async () => {
    const start = (clientAddress: string) =>
      callAction(
        app().googleStart.action,
        appRequest("/auth/google", new CookieJar(), { method: "POST", body: new URLSearchParams({ redirectTo: "/dashboard" }) }),
        { clientAddress },
      );
    for (let attempt = 1; attempt <= 20; attempt++) expect((await start("2001:db8::7")).status).toBe(302);
    const refused = await start("2001:db8::7");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(14 * 60);
    expect(await refused.text()).toMatch(/^Too many sign-in attempts from your network\. Try again in 15 minutes\./);
    expect((await start("2001:db8::8")).status).toBe(302);
  });

  it("sends the browser to Google with state, nonce and an S256 PKCE challenge in a signed, short-lived cookie", async () => {
    const jar = new CookieJar();
    const response = await call(
      app().googleStart.action,
      appRequest("/auth/google", jar, { method: "POST", body: new URLSearchParams({ redirectTo: "/dashboard/billing" }) }),
    );
    const location = new URL(response.headers.get("Location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
    expect(location.searchParams.get("client_id")).toBe(google.clientId);
    expect(location.searchParams.get("redirect_uri")).toBe("http://localhost:3000/auth/google/callback");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get("state")?.length).toBeGreaterThanOrEqual(43);
    expect(location.searchParams.get("nonce")?.length).toBeGreaterThanOrEqual(43);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-audnix_signin_google=/);
    expect(cookie).toMatch(/; Max-Age=600/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it("creates the owner on first sign-in with a 3-day trial, and lands where the owner was going", async () => {
    const { response, jar } = await signIn(new CookieJar(), "/dashboard/billing");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard/billing");
    expect(jar.cookies.has("__Host-audnix_signin_google")).toBe(false);

    const owner = await findOwner(app().database);
    expect(owner).not.toBeNull();
    expect(owner?.name).toBe("Ada Owner");
    expect(owner?.accounts.map((account) => [account.provider, account.providerAccountId])).toEqual([["google", OWNER.sub]]);
    expect(owner?.lastLogin).not.toBeNull();
    expect(owner!.trialExpiresAt!.getTime() - owner!.lastLogin!.getTime()).toBe(3 * DAY_MS);
    expect(await app().sessions.getUserId(appRequest("/dashboard", jar))).toBe(owner?.id);
  });

  it("updates last_login on a second sign-in without restarting the trial or adding a user", async () => {
    await signIn();
    const first = await findOwner(app().database);
    const second = await signIn();
    const again = await findOwner(app().database);
    expect(again?.id).toBe(first?.id);
    expect(again!.lastLogin!.getTime()).toBeGreaterThan(first!.lastLogin!.getTime());
    expect(again?.trialExpiresAt).toEqual(first?.trialExpiresAt);
    expect(await countRows(app().database)).toEqual({ users: 1, sessions: 2 });
    expect(await app().sessions.getUserId(appRequest("/dashboard", second.jar))).toBe(first?.id);
  });

  it("does not accept a tampered session cookie", async () => {
    const { jar } = await signIn();
    const value = jar.cookies.get(SESSION_COOKIE) ?? "";
    const tampered = jar.copy();
    tampered.cookies.set(SESSION_COOKIE, `${value.slice(0, -3)}${value.endsWith("AAA") ? "BBB" : "AAA"}`);
    const response = await call(
      (args) => app().sessions.requireUserId(args.request).then(() => new Response("signed in")),
      appRequest("/dashboard", tampered),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/auth?redirectTo=%2Fdashboard");
  });

  describe("rejects, shows why, and writes no user and no session", () => {
    it("a callback whose state does not match this browser's sign-in", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      url.searchParams.set("state", randomBytes(32).toString("base64url"));
      await expectRejected(app(), await callback(url, jar), jar, /did not match the request we sent/);
    });

    it("a callback from a browser that never started a sign-in (login CSRF)", async () => {
      const url = await consent(new CookieJar(), "Allow");
      const victim = new CookieJar();
      await expectRejected(app(), await callback(url, victim), victim, /took too long or was started in another browser/);
    });

    it("a tampered sign-in cookie", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      const flow = jar.cookies.get("__Host-audnix_signin_google") ?? "";
      jar.cookies.set("__Host-audnix_signin_google", `${flow.slice(0, 10)}${flow[10] === "A" ? "B" : "A"}${flow.slice(11)}`);
      await expectRejected(app(), await callback(url, jar), jar, /took too long or was started in another browser/);
    });

    it("an authorization code that was already used", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      const replayJar = jar.copy();
      const first = await callback(url, jar);
      expect(first.headers.get("Location")).toBe("/dashboard");
      const afterFirst = await countRows(app().database);
      await expectRejected(app(), await callback(url, replayJar), replayJar, /already used or has expired/, afterFirst);
      expect(google.redeemedCodes.filter((code) => code === url.searchParams.get("code"))).toHaveLength(2);
    });

    it.each([
      ["an id_token with another sign-in's nonce", { nonce: randomBytes(32).toString("base64url") }],
      ["an id_token issued to another application (audience)", { aud: "someone-else.apps.googleusercontent.com" }],
      ["an expired id_token", { exp: Math.floor(Date.now() / 1000) - 60 }],
      ["an id_token from another issuer", { iss: "https://accounts.example.com" }],
    ])("%s", async (_case, overrides) => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      google.nextIdTokenOverrides(overrides);
      await expectRejected(app(), await callback(url, jar), jar, /could not verify the identity/);
    });

    it("an email Google has not verified", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow", 1);
      await expectRejected(app(), await callback(url, jar), jar, /has not verified this email address/);
    });

    it("denied consent (error=access_denied)", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Deny");
      expect(url.searchParams.get("error")).toBe("access_denied");
      await expectRejected(app(), await callback(url, jar), jar, /Sign-in was cancelled/);
    });
  });
});
