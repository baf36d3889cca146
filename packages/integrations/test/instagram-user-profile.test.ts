import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeInstagram, type FakeInstagram } from "../src/instagram/fake-instagram.ts";
import {
  INSTAGRAM_USER_PROFILE_FIELD_TYPES,
  INSTAGRAM_USER_PROFILE_NO_CONSENT,
  INSTAGRAM_USER_PROFILE_SAMPLE,
  INSTAGRAM_USER_PROFILE_SAMPLE_FIELDS,
} from "../src/instagram/instagram-user-profile.fixture.ts";
import { fetchInstagramUserProfile } from "../src/instagram/instagram-user-profile.ts";

const NOW = new Date("2026-03-02T10:00:00.000Z");
const PETER = "1789000000000042";
const STRANGER = "1789000000000099";

let fake: FakeInstagram;
let token: string;

beforeEach(async () => {
  fake = await startFakeInstagram({ now: () => NOW, seed: "profile", leadProfiles: [{ igsid: PETER, ...INSTAGRAM_USER_PROFILE_SAMPLE }] });
  token = fake.issueLongLivedToken(fake.users[0]!.userId);
});
afterEach(async () => {
  await fake.close();
});

const profileOf = (igsid: string, accessToken = token, timeoutMs = 5_000) =>
  fetchInstagramUserProfile({ baseUrl: fake.url, accessToken, now: () => NOW }, igsid, { timeoutMs });

describe("the fake's User Profile API, against Meta's documented shape", () => {
  it("answers the documented sample request with the documented sample, field types as listed", async () => {
    const response = await fetch(`${fake.url}/v22.0/${PETER}?fields=${INSTAGRAM_USER_PROFILE_SAMPLE_FIELDS}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(body).toEqual({ ...INSTAGRAM_USER_PROFILE_SAMPLE, id: PETER });
    for (const field of INSTAGRAM_USER_PROFILE_SAMPLE_FIELDS.split(",")) {
      expect(typeof body[field]).toBe(INSTAGRAM_USER_PROFILE_FIELD_TYPES[field as keyof typeof INSTAGRAM_USER_PROFILE_FIELD_TYPES]);
    }
  });

  it("refuses a person who never messaged the account with the documented consent error", async () => {
    const response = await fetch(`${fake.url}/v22.0/${STRANGER}?fields=name,username&access_token=${token}`);
    expect(response.status).toBe(INSTAGRAM_USER_PROFILE_NO_CONSENT.status);
    expect(await response.json()).toEqual(INSTAGRAM_USER_PROFILE_NO_CONSENT.body);
  });

  it("refuses a field the API does not document", async () => {
    const response = await fetch(`${fake.url}/v22.0/${PETER}?fields=name,email&access_token=${token}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 100 } });
  });
});

describe("fetchInstagramUserProfile", () => {
  it("gets the name and username, asking for nothing else and keeping the token out of the URL", async () => {
    expect(await profileOf(PETER)).toEqual({ status: "fetched", name: "Peter Chang", username: "peter_chang_live" });
    expect(fake.profileRequests).toEqual([{ igsid: PETER, fields: ["name", "username"], accessToken: token }]);
  });

  it("a person without a name set is fetched with a null name", async () => {
    fake.addLeadProfile({ igsid: STRANGER, name: null, username: "quiet.one" });
    expect(await profileOf(STRANGER)).toEqual({ status: "fetched", name: null, username: "quiet.one" });
  });

  it("no consent yet is unavailable, not something to retry", async () => {
    expect(await profileOf(STRANGER)).toEqual({ status: "unavailable", reason: expect.stringContaining("not messaged") });
  });

  it("a rate limit or a 5xx is worth another try, with Retry-After when Instagram sends one", async () => {
    fake.failNextProfile({ status: 429, headers: { "Retry-After": "30" }, body: { error: { message: "limit", type: "OAuthException", code: 4 } } });
    fake.failNextProfile({ status: 503 });
    expect(await profileOf(PETER)).toEqual({ status: "retry", reason: expect.any(String), retryAfterSeconds: 30 });
    expect(await profileOf(PETER)).toEqual({ status: "retry", reason: expect.any(String) });
  });

  it("no answer within the timeout is worth another try", async () => {
    const held = fake.holdProfiles();
    const result = profileOf(PETER, token, 50);
    await held.received;
    expect(await result).toEqual({ status: "retry", reason: "Instagram did not answer in time" });
    held.release();
  });

  it("a revoked token is token_invalid, and no result carries the token", async () => {
    fake.revokeToken(token);
    const result = await profileOf(PETER);
    expect(result.status).toBe("token_invalid");
    expect(JSON.stringify(result)).not.toContain(token);
  });
});
