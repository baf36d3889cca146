import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { startFakeGoogle, type FakeGoogle } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type * as AuthRoute from "../../app/routes/auth.tsx";
import type * as StartRoute from "../../app/routes/auth.google.tsx";
import type * as CallbackRoute from "../../app/routes/auth.google.callback.tsx";
import type * as SessionModule from "../../app/session.server.ts";
import {
  appRequest,
  call,
  CookieJar,
  countRows,
  SESSION_COOKIE,
  shownError,
  startSignIn,
  unescapeHtml,
} from "./provider-sign-in-harness.ts";

const OWNER = { sub: "109876543210987654321", email: "Owner@Example.com", emailVerified: true, name: "Ada Owner" };
const UNVERIFIED = { sub: "100000000000000000777", email: "unverified@example.com", emailVerified: false, name: "Unverified" };
const DAY_MS = 24 * 60 * 60 * 1000;

let database: TestDatabase;
let google: FakeGoogle;
let authRoute: typeof AuthRoute;
let startRoute: typeof StartRoute;
let callbackRoute: typeof CallbackRoute;
let sessions: typeof SessionModule;

beforeAll(async () => {
  database = await createTestDatabase();
  google = await startFakeGoogle({ identities: [OWNER, UNVERIFIED] });
  const jwtSecret = randomBytes(32).toString("hex");
  recordTestSecret(jwtSecret);
  // The app's modules read their configuration once, when first imported.
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: database.appUrl,
    JWT_SECRET: jwtSecret,
    LOG_LEVEL: "error",
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER_URL: google.url,
  });
  authRoute = await import("../../app/routes/auth.tsx");
  startRoute = await import("../../app/routes/auth.google.tsx");
  callbackRoute = await import("../../app/routes/auth.google.callback.tsx");
  sessions = await import("../../app/session.server.ts");
});

afterAll(async () => {
  await google?.close();
  await database?.destroy();
});

beforeEach(async () => {
  await database.db.asSystem(async (tx) => {
    await tx.session.deleteMany();
    await tx.account.deleteMany();
    await tx.user.deleteMany();
  });
});

/** Starts a sign-in and answers Google's consent page; returns the callback URL Google redirects to. */
async function consent(jar: CookieJar, choice: "Allow" | "Deny", identity = 0, redirectTo?: string): Promise<URL> {
  const authorizeUrl = await startSignIn(startRoute.action, "google", jar, redirectTo);
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
  return call(callbackRoute.loader, appRequest(`${url.pathname}${url.search}`, jar));
}

async function signIn(jar = new CookieJar(), redirectTo?: string): Promise<{ response: Response; jar: CookieJar }> {
  const response = await callback(await consent(jar, "Allow", 0, redirectTo), jar);
  jar.store(response);
  return { response, jar };
}

async function findOwner() {
  return database.db.asSystem((tx) => tx.user.findUnique({ where: { email: "owner@example.com" }, include: { accounts: true } }));
}

describe("Sign in with Google", () => {
  it("sends the browser to Google with state, nonce and an S256 PKCE challenge in a signed, short-lived cookie", async () => {
    const jar = new CookieJar();
    const response = await call(
      startRoute.action,
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

    const owner = await findOwner();
    expect(owner).not.toBeNull();
    expect(owner?.name).toBe("Ada Owner");
    expect(owner?.accounts.map((account) => [account.provider, account.providerAccountId])).toEqual([["google", OWNER.sub]]);
    expect(owner?.lastLogin).not.toBeNull();
    expect(owner!.trialExpiresAt!.getTime() - owner!.lastLogin!.getTime()).toBe(3 * DAY_MS);
    expect(await sessions.getUserId(appRequest("/dashboard", jar))).toBe(owner?.id);
  });

  it("updates last_login on a second sign-in without restarting the trial or adding a user", async () => {
    await signIn();
    const first = await findOwner();
    const second = await signIn();
    const again = await findOwner();
    expect(again?.id).toBe(first?.id);
    expect(again!.lastLogin!.getTime()).toBeGreaterThan(first!.lastLogin!.getTime());
    expect(again?.trialExpiresAt).toEqual(first?.trialExpiresAt);
    expect(await countRows(database)).toEqual({ users: 1, sessions: 2 });
    expect(await sessions.getUserId(appRequest("/dashboard", second.jar))).toBe(first?.id);
  });

  it("does not accept a tampered session cookie", async () => {
    const { jar } = await signIn();
    const value = jar.cookies.get(SESSION_COOKIE) ?? "";
    const tampered = jar.copy();
    tampered.cookies.set(SESSION_COOKIE, `${value.slice(0, -3)}${value.endsWith("AAA") ? "BBB" : "AAA"}`);
    const response = await call(
      (args) => sessions.requireUserId(args.request).then(() => new Response("signed in")),
      appRequest("/dashboard", tampered),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/auth?redirectTo=%2Fdashboard");
  });

  describe("rejects, shows why, and writes no user and no session", () => {
    async function expectRejected(response: Response, jar: CookieJar, message: RegExp, before = { users: 0, sessions: 0 }) {
      expect(await shownError(authRoute.loader, response, jar)).toMatch(message);
      expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
      expect(await countRows(database)).toEqual(before);
    }

    it("a callback whose state does not match this browser's sign-in", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      url.searchParams.set("state", randomBytes(32).toString("base64url"));
      await expectRejected(await callback(url, jar), jar, /did not match the request we sent/);
    });

    it("a callback from a browser that never started a sign-in (login CSRF)", async () => {
      const url = await consent(new CookieJar(), "Allow");
      const victim = new CookieJar();
      await expectRejected(await callback(url, victim), victim, /took too long or was started in another browser/);
    });

    it("a tampered sign-in cookie", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      const flow = jar.cookies.get("__Host-audnix_signin_google") ?? "";
      jar.cookies.set("__Host-audnix_signin_google", `${flow.slice(0, 10)}${flow[10] === "A" ? "B" : "A"}${flow.slice(11)}`);
      await expectRejected(await callback(url, jar), jar, /took too long or was started in another browser/);
    });

    it("an authorization code that was already used", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      const replayJar = jar.copy();
      const first = await callback(url, jar);
      expect(first.headers.get("Location")).toBe("/dashboard");
      const afterFirst = await countRows(database);
      await expectRejected(await callback(url, replayJar), replayJar, /already used or has expired/, afterFirst);
      expect(google.redeemedCodes.filter((code) => code === url.searchParams.get("code"))).toHaveLength(2);
    });

    it("an id_token with another sign-in's nonce", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      google.nextIdTokenOverrides({ nonce: randomBytes(32).toString("base64url") });
      await expectRejected(await callback(url, jar), jar, /could not verify the identity/);
    });

    it("an id_token issued to another application (audience)", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      google.nextIdTokenOverrides({ aud: "someone-else.apps.googleusercontent.com" });
      await expectRejected(await callback(url, jar), jar, /could not verify the identity/);
    });

    it("an expired id_token", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      google.nextIdTokenOverrides({ exp: Math.floor(Date.now() / 1000) - 60 });
      await expectRejected(await callback(url, jar), jar, /could not verify the identity/);
    });

    it("an id_token from another issuer", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow");
      google.nextIdTokenOverrides({ iss: "https://accounts.example.com" });
      await expectRejected(await callback(url, jar), jar, /could not verify the identity/);
    });

    it("an email Google has not verified", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Allow", 1);
      await expectRejected(await callback(url, jar), jar, /has not verified this email address/);
    });

    it("denied consent (error=access_denied)", async () => {
      const jar = new CookieJar();
      const url = await consent(jar, "Deny");
      expect(url.searchParams.get("error")).toBe("access_denied");
      await expectRejected(await callback(url, jar), jar, /Sign-in was cancelled/);
    });
  });
});
