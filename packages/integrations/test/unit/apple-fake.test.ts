import { createHash, createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeApple, type FakeApple } from "../../src/apple/fake-apple.ts";

const REDIRECT_URI = "https://app.example.com/auth/apple/callback";

let apple: FakeApple;

beforeAll(async () => {
  apple = await startFakeApple();
});

afterAll(async () => {
  await apple?.close();
});

/** Runs the authorization request and returns the fields Apple's page would form_post. */
async function authorize(verifier: string): Promise<{ action: string; fields: URLSearchParams }> {
  const url = new URL(`${apple.url}/auth/authorize`);
  url.search = new URLSearchParams({
    client_id: apple.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    response_mode: "form_post",
    scope: "name email",
    state: "state-1",
    nonce: "nonce-1",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  const html = await (await fetch(url)).text();
  const fields = new URLSearchParams();
  for (const [, name = "", value = ""] of html.matchAll(/name="([^"]+)" value="([^"]*)"/g)) {
    fields.append(name, value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))));
  }
  return { action: /action="([^"]+)"/.exec(html)?.[1] ?? "", fields };
}

function clientSecret(options: { privateKeyPem?: string; teamId?: string; audience?: string; keyId?: string } = {}): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: options.keyId ?? apple.keyId })
    .setIssuer(options.teamId ?? apple.teamId)
    .setSubject(apple.clientId)
    .setAudience(options.audience ?? apple.url)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(createPrivateKey(options.privateKeyPem ?? apple.privateKeyPem ?? ""));
}

async function redeem(code: string, verifier: string, secret: string): Promise<Response> {
  return fetch(`${apple.url}/auth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: apple.clientId, client_secret: secret }),
  });
}

describe("fake Apple", () => {
  it("form_posts code, state and the user's name only on the first authorization", async () => {
    const first = await authorize("v".repeat(43));
    expect(first.action).toBe(REDIRECT_URI);
    expect(first.fields.get("state")).toBe("state-1");
    expect(first.fields.get("code")).toBeTruthy();
    expect(JSON.parse(first.fields.get("user") ?? "{}")).toEqual({
      name: { firstName: "Sandbox", lastName: "Owner" },
      email: apple.identities[0]?.email,
    });
    expect((await authorize("v".repeat(43))).fields.has("user")).toBe(false);
  });

  it("accepts an ES256 client secret from the team's key and answers with Apple's id_token claims", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const { fields } = await authorize(verifier);
    const response = await redeem(fields.get("code") ?? "", verifier, await clientSecret());
    expect(response.status).toBe(200);
    const { id_token: idToken } = (await response.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: apple.url, aud: apple.clientId, email_verified: "true", nonce: "nonce-1" });
  });

  it("refuses client secrets signed by another key, for another team, audience or key id", async () => {
    const otherKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const bad = [
      await clientSecret({ privateKeyPem: otherKey }),
      await clientSecret({ teamId: "OTHERTEAM1" }),
      await clientSecret({ audience: "https://appleid.apple.com.evil" }),
      await clientSecret({ keyId: "OTHERKEY01" }),
    ];
    for (const secret of bad) {
      const verifier = randomBytes(32).toString("base64url");
      const { fields } = await authorize(verifier);
      const response = await redeem(fields.get("code") ?? "", verifier, secret);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: "invalid_client" });
    }
  });

  it("refuses an authorization request without form_post", async () => {
    const url = new URL(`${apple.url}/auth/authorize`);
    url.search = new URLSearchParams({ client_id: apple.clientId, redirect_uri: REDIRECT_URI, response_type: "code", code_challenge: "x".repeat(43), code_challenge_method: "S256" }).toString();
    expect((await fetch(url)).status).toBe(400);
  });
});
