import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cleanAuthorizationCode,
  connectInstagramAccount,
  fetchInstagramProfile,
  INSTAGRAM_WINDOW_CLOSED_FAILURE,
  InstagramApiError,
  instagramAuthorizeUrl,
  refreshLongLivedToken,
  startFakeInstagram,
  type FakeInstagram,
  type InstagramOAuthConfig,
} from "../../src/index.ts";

const HOUR = 3_600_000;
const REDIRECT_URI = "https://app.example.com/api/connect/instagram/callback";
let clock: Date;
let fake: FakeInstagram;
let config: InstagramOAuthConfig;

beforeEach(async () => {
  clock = new Date(Date.UTC(2026, 10, 20, 10));
  fake = await startFakeInstagram({
    now: () => clock,
    users: [{ userId: "17841400000000042", appScopedId: "26000000000000042", username: "bloom_studio" }],
  });
  config = { appId: fake.appId, appSecret: fake.appSecret, oauthBaseUrl: fake.url, graphBaseUrl: fake.url };
});
afterEach(() => fake.close());

/** What a browser does on the consent screen: press Allow (or Deny) and land on the redirect. */
async function consent(decision: "allow" | "deny", state = "state-123"): Promise<URL> {
  const authorize = new URL(instagramAuthorizeUrl(config, { redirectUri: REDIRECT_URI, state }));
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const decisionUrl = new URL("/oauth/authorize/decision", fake.url);
  for (const name of ["redirect_uri", "state"]) decisionUrl.searchParams.set(name, authorize.searchParams.get(name) ?? "");
  decisionUrl.searchParams.set("decision", decision);
  const redirect = await fetch(decisionUrl, { redirect: "manual" });
  return new URL(redirect.headers.get("Location") ?? "");
}

function caught(promise: Promise<unknown>): Promise<InstagramApiError> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => {
      if (error instanceof InstagramApiError) return error;
      throw error;
    },
  );
}

describe("instagramAuthorizeUrl", () => {
  it("asks for the business scopes and carries the state", () => {
    const url = new URL(instagramAuthorizeUrl({ appId: "123", oauthBaseUrl: "https://api.instagram.com" }, { redirectUri: REDIRECT_URI, state: "s1" }));
    expect(url.origin + url.pathname).toBe("https://api.instagram.com/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "123",
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      scope: "instagram_business_basic,instagram_business_manage_messages",
      state: "s1",
    });
  });
});

describe("connectInstagramAccount", () => {
  it("turns an allowed consent into a 60-day token, the webhook account id and the username, subscribed to messages", async () => {
    const redirect = await consent("allow");
    expect(redirect.hash).toBe("#_");
    expect(redirect.searchParams.get("state")).toBe("state-123");

    const account = await connectInstagramAccount(config, { code: redirect.searchParams.get("code") ?? "", redirectUri: REDIRECT_URI });

    expect(account).toMatchObject({ accountId: "17841400000000042", username: "bloom_studio", expiresIn: 60 * 24 * 3600 });
    expect(fake.issuedTokens().find((t) => t.token === account.accessToken)?.kind).toBe("long_lived");
    expect(fake.subscriptions.get("17841400000000042")).toEqual(["messages", "messaging_seen"]);
  });

  it("tolerates a code that still carries Meta's #_ suffix", async () => {
    const code = (await consent("allow")).searchParams.get("code") ?? "";
    expect(cleanAuthorizationCode(`${code}#_`)).toBe(code);
    await expect(connectInstagramAccount(config, { code: `${code}#_`, redirectUri: REDIRECT_URI })).resolves.toMatchObject({ username: "bloom_studio" });
  });

  it("a code works once, and the error names neither code nor secret", async () => {
    const code = (await consent("allow")).searchParams.get("code") ?? "";
    await connectInstagramAccount(config, { code, redirectUri: REDIRECT_URI });
    const error = await caught(connectInstagramAccount(config, { code, redirectUri: REDIRECT_URI }));
    expect(error.message).toBe("Instagram code exchange failed (HTTP 400, code 400)");
    expect(error.message).not.toContain(code);
    expect(error.message).not.toContain(fake.appSecret);
  });

  it("a denied consent comes back as access_denied with the state", async () => {
    const redirect = await consent("deny");
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    expect(redirect.searchParams.get("state")).toBe("state-123");
    expect(redirect.searchParams.has("code")).toBe(false);
  });

  it("a wrong app secret fails the exchange without echoing the secret", async () => {
    const code = (await consent("allow")).searchParams.get("code") ?? "";
    const error = await caught(connectInstagramAccount({ ...config, appSecret: "not-the-secret-value" }, { code, redirectUri: REDIRECT_URI }));
    expect(error.message).not.toContain("not-the-secret-value");
    expect(error.tokenInvalid).toBe(false);
  });

  it("an unreachable Instagram is an error without the URL", async () => {
    const error = await caught(
      connectInstagramAccount({ ...config, oauthBaseUrl: "http://127.0.0.1:9" }, { code: "AQsecret-code-value", redirectUri: REDIRECT_URI }),
    );
    expect(error).toMatchObject({ status: null, message: "Instagram code exchange failed (no answer)" });
  });
});

describe("refreshLongLivedToken", () => {
  it("refreshes a token at least 24 h old into a new 60-day token", async () => {
    const token = fake.issueLongLivedToken("17841400000000042", { issuedAt: new Date(clock.getTime() - 25 * HOUR) });
    const refreshed = await refreshLongLivedToken(config, token);
    expect(refreshed.accessToken).not.toBe(token);
    expect(refreshed.expiresIn).toBe(60 * 24 * 3600);
    await expect(fetchInstagramProfile(config, refreshed.accessToken)).resolves.toEqual({ accountId: "17841400000000042", username: "bloom_studio" });
  });

  it("refuses a token younger than 24 h, which is not a reason to reconnect", async () => {
    const token = fake.issueLongLivedToken("17841400000000042", { issuedAt: new Date(clock.getTime() - HOUR) });
    const error = await caught(refreshLongLivedToken(config, token));
    expect(error).toMatchObject({ code: 100, tokenInvalid: false });
  });

  it("classifies a revoked or expired token as invalid (190)", async () => {
    const revoked = fake.issueLongLivedToken("17841400000000042", { issuedAt: new Date(clock.getTime() - 30 * 24 * HOUR) });
    fake.revokeToken(revoked);
    expect(await caught(refreshLongLivedToken(config, revoked))).toMatchObject({ code: 190, subcode: 458, tokenInvalid: true, type: "OAuthException" });
    const expired = fake.issueLongLivedToken("17841400000000042", { issuedAt: new Date(clock.getTime() - 61 * 24 * HOUR) });
    const error = await caught(refreshLongLivedToken(config, expired));
    expect(error).toMatchObject({ code: 190, subcode: 463, tokenInvalid: true, fbtraceId: "AFakeTraceIdForTests" });
    expect(error.message).not.toContain(expired);
  });
});

describe("the fake's Send API", () => {
  const send = (token: string, body: unknown) =>
    fetch(`${fake.url}/v22.0/me/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("records text and audio sends and answers with a message id", async () => {
    const token = fake.issueLongLivedToken("17841400000000042");
    const response = await send(token, { recipient: { id: "IGSID-1" }, message: { text: "Hi Sam" } });
    const body = (await response.json()) as { recipient_id: string; message_id: string };
    expect(body.recipient_id).toBe("IGSID-1");
    expect(body.message_id).toMatch(/^mid\./);
    await send(token, { recipient: { id: "IGSID-1" }, message: { attachment: { type: "audio", payload: { url: "https://cdn.example.com/a.mp3" } } } });
    expect(fake.sentMessages.map((m) => m.message)).toEqual([
      { text: "Hi Sam" },
      { attachment: { type: "audio", payload: { url: "https://cdn.example.com/a.mp3" } } },
    ]);
  });

  it("holds a send until released, answers scripted failures, and refuses revoked tokens", async () => {
    const token = fake.issueLongLivedToken("17841400000000042");
    const held = fake.holdSends();
    const pending = send(token, { recipient: { id: "IGSID-2" }, message: { text: "held" } });
    await held.received;
    expect(fake.sentMessages).toHaveLength(1);
    held.release();
    expect((await pending).status).toBe(200);

    fake.failNextSend(INSTAGRAM_WINDOW_CLOSED_FAILURE);
    const closed = await send(token, { recipient: { id: "IGSID-2" }, message: { text: "late" } });
    expect(closed.status).toBe(400);
    expect(await closed.json()).toMatchObject({ error: { code: 10, error_subcode: 2534022 } });

    fake.revokeToken(token);
    const revoked = await send(token, { recipient: { id: "IGSID-2" }, message: { text: "x" } });
    expect(await revoked.json()).toMatchObject({ error: { code: 190, type: "OAuthException" } });
    expect(fake.sentMessages).toHaveLength(1);
  });
});
