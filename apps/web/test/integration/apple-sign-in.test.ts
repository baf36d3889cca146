import { randomBytes } from "node:crypto";
import { startFakeGoogle } from "@audnix/integrations";
import { afterAll, describe, expect, it } from "vitest";
import { googleEnv, startFakeAppleForApp } from "../provider-fakes.ts";
import {
  appRequest,
  call,
  CookieJar,
  countRows,
  expectRejected,
  findOwner,
  startSignIn,
  unescapeHtml,
  useSignInApp,
} from "./provider-sign-in-harness.ts";

// The same person at both providers: one account in Audnix.
const OWNER_AT_APPLE = { sub: "001234.abcdef0123456789.1234", email: "owner@example.com", emailVerified: true, name: "Grace Hopper" };
const OWNER_AT_GOOGLE = { sub: "109876543210987654321", email: "owner@example.com", emailVerified: true, name: "Grace H." };
const DAY_MS = 24 * 60 * 60 * 1000;

// The fakes listen before the app is configured: their URLs are part of its environment.
const { apple, env: appleEnv } = await startFakeAppleForApp([OWNER_AT_APPLE]);
const google = await startFakeGoogle({ identities: [OWNER_AT_GOOGLE], autoApprove: true });
afterAll(async () => {
  await apple.close();
  await google.close();
});

const app = useSignInApp({ ...appleEnv, ...googleEnv(google) });

/** Starts a sign-in and reads the auto-submitting form Apple answers with: where it posts and what. */
async function authorize(jar: CookieJar): Promise<{ action: URL; fields: URLSearchParams }> {
  const page = await fetch(await startSignIn(app().appleStart.action, "apple", jar));
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error(`no form_post form in Apple's answer:\n${html}`);
  const fields = new URLSearchParams();
  for (const [, name = "", value = ""] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(unescapeHtml(name), unescapeHtml(value));
  }
  return { action: new URL(unescapeHtml(action)), fields };
}

/** Apple's cross-site form POST to the callback (the browser sends only SameSite=None cookies on it). */
function post(form: { action: URL; fields: URLSearchParams }, jar: CookieJar): Promise<Response> {
  return call(app().appleCallback.action, appRequest(form.action.pathname, jar, { method: "POST", body: form.fields }));
}

async function signIn(): Promise<{ response: Response; jar: CookieJar; fields: URLSearchParams }> {
  const jar = new CookieJar();
  const form = await authorize(jar);
  const response = await post(form, jar);
  jar.store(response);
  return { response, jar, fields: form.fields };
}

describe("Sign in with Apple", () => {
  it("asks for form_post with state, nonce and PKCE, keeping the flow in a SameSite=None cookie", async () => {
    const jar = new CookieJar();
    const response = await call(app().appleStart.action, appRequest("/auth/apple", jar, { method: "POST", body: new URLSearchParams() }));
    const location = new URL(response.headers.get("Location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(`${apple.url}/auth/authorize`);
    expect(location.searchParams.get("response_mode")).toBe("form_post");
    expect(location.searchParams.get("scope")).toBe("name email");
    expect(location.searchParams.get("redirect_uri")).toBe("http://localhost:3000/auth/apple/callback");
    expect(location.searchParams.get("code_challenge_method")).toBe("S256");
    expect(location.searchParams.get("nonce")).toBeTruthy();
    expect(location.searchParams.get("state")).toBeTruthy();
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-audnix_signin_apple=/);
    expect(cookie).toMatch(/; SameSite=None/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
  });

  it("signs in with the ES256 client secret, takes the name Apple posts the first time, and starts the trial", async () => {
    const { response, jar, fields } = await signIn();
    expect(JSON.parse(fields.get("user") ?? "{}")).toMatchObject({ name: { firstName: "Grace", lastName: "Hopper" } });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/dashboard");
    const owner = await findOwner(app().database);
    expect(owner?.name).toBe("Grace Hopper");
    expect(owner!.trialExpiresAt!.getTime() - owner!.lastLogin!.getTime()).toBe(3 * DAY_MS);
    expect(await app().sessions.getUserId(appRequest("/dashboard", jar))).toBe(owner?.id);

    // Later authorizations carry no `user` field; the name stays.
    const again = await signIn();
    expect(again.fields.has("user")).toBe(false);
    const updated = await findOwner(app().database);
    expect(updated?.name).toBe("Grace Hopper");
    expect(updated!.lastLogin!.getTime()).toBeGreaterThan(owner!.lastLogin!.getTime());
    expect(await countRows(app().database)).toEqual({ users: 1, sessions: 2 });
  });

  it("treats the same email via Google and then Apple as one user", async () => {
    const jar = new CookieJar();
    const callbackUrl = await fetch(await startSignIn(app().googleStart.action, "google", jar), { redirect: "manual" }).then(
      (response) => new URL(response.headers.get("Location") ?? ""),
    );
    const viaGoogle = await call(app().googleCallback.loader, appRequest(`${callbackUrl.pathname}${callbackUrl.search}`, jar));
    expect(viaGoogle.headers.get("Location")).toBe("/dashboard");
    const { response } = await signIn();
    expect(response.headers.get("Location")).toBe("/dashboard");

    const owner = await findOwner(app().database);
    expect(owner?.accounts.map((account) => account.provider).sort()).toEqual(["apple", "google"]);
    expect(await countRows(app().database)).toEqual({ users: 1, sessions: 2 });
  });

  describe("rejects, shows why, and writes no user and no session", () => {
    it("a post whose state does not match", async () => {
      const jar = new CookieJar();
      const form = await authorize(jar);
      form.fields.set("state", randomBytes(32).toString("base64url"));
      await expectRejected(app(), await post(form, jar), jar, /did not match the request we sent/);
    });

    it("a post without the sign-in cookie (as a SameSite=Lax cookie would be missing)", async () => {
      const form = await authorize(new CookieJar());
      const jar = new CookieJar();
      await expectRejected(app(), await post(form, jar), jar, /took too long or was started in another browser/);
    });

    it("a code that was already used", async () => {
      const jar = new CookieJar();
      const form = await authorize(jar);
      const replay = jar.copy();
      expect((await post(form, jar)).headers.get("Location")).toBe("/dashboard");
      const afterFirst = await countRows(app().database);
      await expectRejected(app(), await post(form, replay), replay, /already used or has expired/, afterFirst);
    });

    it("a wrong nonce, audience or an expired id_token", async () => {
      const bad = [
        { nonce: randomBytes(32).toString("base64url") },
        { aud: "com.example.someone-else" },
        { exp: Math.floor(Date.now() / 1000) - 60 },
      ];
      for (const overrides of bad) {
        const jar = new CookieJar();
        const form = await authorize(jar);
        apple.nextIdTokenOverrides(overrides);
        await expectRejected(app(), await post(form, jar), jar, /could not verify the identity/);
      }
    });

    it("a cancelled authorization (error=user_cancelled_authorize)", async () => {
      const jar = new CookieJar();
      const form = await authorize(jar);
      form.fields.delete("code");
      form.fields.delete("user");
      form.fields.set("error", "user_cancelled_authorize");
      await expectRejected(app(), await post(form, jar), jar, /Sign-in was cancelled/);
    });
  });
});
