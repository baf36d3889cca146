import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGoogle, type FakeGoogle } from "../../src/google/fake-google.ts";

const REDIRECT_URI = "http://localhost:3000/auth/google/callback";
const NOW = new Date("2026-11-25T12:00:00Z");

let google: FakeGoogle;

beforeAll(async () => {
  google = await startFakeGoogle({ now: () => NOW, autoApprove: true });
});

afterAll(async () => {
  await google?.close();
});

async function authorize(verifier: string, extra: Record<string, string> = {}): Promise<Response> {
  const url = new URL(`${google.url}/o/oauth2/v2/auth`);
  const params = {
    client_id: google.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email profile",
    state: "state-1",
    nonce: "nonce-1",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return fetch(url, { redirect: "manual" });
}

async function codeFor(verifier: string): Promise<string> {
  const response = await authorize(verifier);
  expect(response.status).toBe(302);
  const callback = new URL(response.headers.get("Location") ?? "");
  expect(callback.searchParams.get("state")).toBe("state-1");
  return callback.searchParams.get("code") ?? "";
}

function redeem(code: string, verifier: string, overrides: Record<string, string> = {}): Promise<Response> {
  return fetch(`${google.url}/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: google.clientId,
      client_secret: google.clientSecret,
      ...overrides,
    }),
  });
}

describe("fake Google", () => {
  it("publishes discovery and issues an id_token its JWKS verifies, with the nonce of the request", async () => {
    const discovery = (await (await fetch(`${google.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(google.url);
    expect(discovery.token_endpoint).toBe(`${google.url}/token`);
    const verifier = randomBytes(32).toString("base64url");
    const response = await redeem(await codeFor(verifier), verifier);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id_token: string; access_token: string };
    expect(body.access_token).toBeTruthy();
    const { payload } = await jwtVerify(body.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri ?? "")), {
      issuer: google.url,
      audience: google.clientId,
      currentDate: NOW,
    });
    expect(payload).toMatchObject({ sub: google.identities[0]?.sub, email: google.identities[0]?.email, email_verified: true, nonce: "nonce-1" });
    expect(payload.exp).toBe(Math.floor(NOW.getTime() / 1000) + 3600);
  });

  it("spends a code on first use and refuses it afterwards", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const code = await codeFor(verifier);
    expect((await redeem(code, verifier)).status).toBe(200);
    const again = await redeem(code, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a wrong PKCE verifier, redirect_uri or client secret", async () => {
    const verifier = randomBytes(32).toString("base64url");
    expect(await (await redeem(await codeFor(verifier), randomBytes(32).toString("base64url"))).json()).toMatchObject({ error: "invalid_grant" });
    expect(await (await redeem(await codeFor(verifier), verifier, { redirect_uri: "http://evil.example/cb" })).json()).toMatchObject({ error: "invalid_grant" });
    const wrongSecret = await redeem(await codeFor(verifier), verifier, { client_secret: "not-the-secret" });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({ error: "invalid_client" });
  });

  it("requires PKCE S256 and a known client on the authorization request", async () => {
    expect((await authorize("v", { code_challenge_method: "plain" })).status).toBe(400);
    expect((await authorize("v", { client_id: "someone-else" })).status).toBe(400);
  });

  it("mints one bad id_token on request, then good ones again", async () => {
    const verifier = randomBytes(32).toString("base64url");
    google.nextIdTokenOverrides({ aud: "other-client", nonce: "other-nonce" });
    const bad = (await (await redeem(await codeFor(verifier), verifier)).json()) as { id_token: string };
    const good = (await (await redeem(await codeFor(verifier), verifier)).json()) as { id_token: string };
    const claims = (token: string) => JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(claims(bad.id_token)).toMatchObject({ aud: "other-client", nonce: "other-nonce" });
    expect(claims(good.id_token)).toMatchObject({ aud: google.clientId, nonce: "nonce-1" });
  });
});

describe("fake Google consent page", () => {
  it("lists the identity with Allow and Deny, and Deny answers error=access_denied", async () => {
    const withConsent = await startFakeGoogle();
    try {
      const url = new URL(`${withConsent.url}/o/oauth2/v2/auth`);
      url.search = new URLSearchParams({
        client_id: withConsent.clientId,
        redirect_uri: REDIRECT_URI,
        response_type: "code",
        state: "s",
        code_challenge: "x".repeat(43),
        code_challenge_method: "S256",
      }).toString();
      const html = await (await fetch(url)).text();
      expect(html).toContain(withConsent.identities[0]?.email);
      const deny = /<a href="([^"]+)">Deny<\/a>/.exec(html)?.[1]?.replace(/&#38;/g, "&") ?? "";
      const answer = await fetch(new URL(deny, withConsent.url), { redirect: "manual" });
      const callback = new URL(answer.headers.get("Location") ?? "");
      expect(callback.searchParams.get("error")).toBe("access_denied");
      expect(callback.searchParams.get("state")).toBe("s");
      expect(callback.searchParams.has("code")).toBe(false);
    } finally {
      await withConsent.close();
    }
  });
});
