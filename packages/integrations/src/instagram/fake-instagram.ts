import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { failureScript, listenFake, readRequestBody, sendJson, slowAnswers, type ScriptedFailure } from "../fake-http.ts";
import { fakeSequence } from "../fake-sequence.ts";
import { recordTestSecret } from "../testing/log-audit.ts";
import { INSTAGRAM_USER_PROFILE_FIELD_TYPES, INSTAGRAM_USER_PROFILE_NO_CONSENT } from "./instagram-user-profile.fixture.ts";

// Instagram API with Instagram Login as the product uses it, on one base URL standing in for both
// api.instagram.com (consent screen, code exchange) and graph.instagram.com (token exchange and
// refresh, /me, webhook subscription, Send API, User Profile API). Tokens follow Meta's lifetimes against the injected
// clock. Serves tests and sandbox mode alike.

export interface FakeInstagramUser {
  /** The professional account id (`user_id`; webhooks' entry[].id). */
  userId: string;
  /** The app-scoped id /me returns as `id`. */
  appScopedId: string;
  username: string;
}

export interface FakeInstagramSentMessage {
  recipientId: string;
  /** The `message` object exactly as received ({text} or {attachment}). */
  message: Record<string, unknown>;
  /** The message tag sent with it (HUMAN_AGENT: a person's reply 24 h - 7 d after the lead's message); null: none. */
  tag: "HUMAN_AGENT" | null;
  messageId: string;
  accessToken: string;
}

export interface FakeInstagramToken {
  token: string;
  kind: "short_lived" | "long_lived";
  userId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * A person who messaged the account, as the User Profile API describes them (fields as Meta names
 * them, instagram-user-profile.fixture.ts). Any other IGSID has given no consent: Graph refuses it.
 */
export interface FakeInstagramLeadProfile {
  igsid: string;
  name?: string | null;
  username?: string;
  profile_pic?: string | null;
  follower_count?: number;
  is_user_follow_business?: boolean;
  is_business_follow_user?: boolean;
  is_verified_user?: boolean;
}

export interface FakeInstagramProfileRequest {
  igsid: string;
  fields: string[];
  accessToken: string;
}

export interface FakeInstagramHold {
  /** Resolves once the next held request arrived and was recorded (its answer is held back). */
  received: Promise<void>;
  /** Answers every held request normally. */
  release(): void;
}
/** holdSends' hold: the send is recorded in sentMessages before its answer is held. */
export type FakeInstagramHeldSends = FakeInstagramHold;

export interface FakeInstagram {
  /** Base URL for both the OAuth host and the Graph host. */
  url: string;
  appId: string;
  appSecret: string;
  users: FakeInstagramUser[];
  sentMessages: FakeInstagramSentMessage[];
  /** Fields each account subscribed the app to (by professional account id). */
  subscriptions: Map<string, string[]>;
  /** Every token minted so far, in order. */
  issuedTokens(): FakeInstagramToken[];
  /** Mints a long-lived token directly, as if the owner had connected at `issuedAt`. */
  issueLongLivedToken(userId: string, options?: { issuedAt?: Date; expiresInSeconds?: number }): string;
  /** From now on every call with `token` answers 400 with error 190. */
  revokeToken(token: string): void;
  holdSends(): FakeInstagramHeldSends;
  /** Every User Profile API request, in order (also the refused ones). */
  profileRequests: FakeInstagramProfileRequest[];
  /** The person behind `igsid` messaged the account: their profile is served from now on. */
  addLeadProfile(profile: FakeInstagramLeadProfile): void;
  /** The next `times` profile requests answer with this (429, 500). */
  failNextProfile(failure: ScriptedFailure, times?: number): void;
  /** Profile requests are recorded, then answered only on release (a slow Instagram). */
  holdProfiles(): FakeInstagramHold;
  /** The next `times` sends answer with this instead of being sent (429, 500, window closed). */
  failNextSend(failure: ScriptedFailure, times?: number): void;
  /** From now on every send is recorded, then answered only after `delayMs` (null: at once again). */
  answerSendsAfter(delayMs: number | null): void;
  close(): Promise<void>;
}

export interface FakeInstagramOptions {
  appId?: string;
  appSecret?: string;
  now?: () => Date;
  users?: FakeInstagramUser[];
  leadProfiles?: FakeInstagramLeadProfile[];
  port?: number;
  seed?: string;
}

/** The account a fake started without options lets the owner connect. */
export const FAKE_INSTAGRAM_DEFAULT_USER: FakeInstagramUser = {
  userId: "17841400000000001",
  appScopedId: "9000000000000001",
  username: "audnix_sandbox",
};

const SHORT_LIVED_SECONDS = 60 * 60;
const LONG_LIVED_SECONDS = 60 * 24 * 60 * 60;
const REFRESH_MIN_AGE_MS = 24 * 60 * 60 * 1000;
const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** The Send API's window-closed refusal, for failNextSend. */
export const INSTAGRAM_WINDOW_CLOSED_FAILURE: ScriptedFailure = {
  status: 400,
  body: {
    error: {
      message: "This message is sent outside of allowed window.",
      type: "OAuthException",
      code: 10,
      error_subcode: 2534022,
      fbtrace_id: "AFakeTraceIdForTests",
    },
  },
};

// A tag comes with messaging_type MESSAGE_TAG (instagram-human-agent.fixture.ts); any other tag is refused.
const sendBodySchema = z.object({
  recipient: z.object({ id: z.string().min(1) }),
  messaging_type: z.enum(["RESPONSE", "UPDATE", "MESSAGE_TAG"]).optional(),
  tag: z.literal("HUMAN_AGENT").optional(),
  message: z.union([
    z.object({ text: z.string().min(1) }),
    z.object({ attachment: z.object({ type: z.literal("audio"), payload: z.object({ url: z.url() }) }) }),
  ]),
});

export async function startFakeInstagram(options: FakeInstagramOptions = {}): Promise<FakeInstagram> {
  const appId = options.appId ?? "1000000000000001";
  const appSecret = options.appSecret ?? "fake-instagram-app-secret";
  const now = options.now ?? (() => new Date());
  const users = [...(options.users ?? [FAKE_INSTAGRAM_DEFAULT_USER])];
  const seed = options.seed ?? randomBytes(6).toString("hex");
  const ids = fakeSequence(seed, new Date(0));
  const tokens = new Map<string, FakeInstagramToken>();
  const codes = new Map<string, { userId: string; redirectUri: string; expiresAt: number }>();
  const revoked = new Set<string>();
  const sentMessages: FakeInstagramSentMessage[] = [];
  const subscriptions = new Map<string, string[]>();
  const failures = failureScript();
  const slow = slowAnswers();
  const sendHold = holdable();
  const leadProfiles = new Map((options.leadProfiles ?? []).map((profile) => [profile.igsid, profile]));
  const profileRequests: FakeInstagramProfileRequest[] = [];
  const profileFailures = failureScript();
  const profileHold = holdable();
  recordTestSecret(appSecret);

  function mint(kind: FakeInstagramToken["kind"], userId: string, issuedAt: Date, lifetimeSeconds: number): FakeInstagramToken {
    const prefix = kind === "short_lived" ? "IGQ" : "IGAA";
    const token = `${prefix}${randomBytes(24).toString("base64url")}`;
    const record = { token, kind, userId, issuedAt, expiresAt: new Date(issuedAt.getTime() + lifetimeSeconds * 1000) };
    tokens.set(token, record);
    recordTestSecret(token);
    return record;
  }

  /** A live token of `kind`, or the error Meta gives for it. */
  function checkToken(token: string | null, kinds: FakeInstagramToken["kind"][] = ["long_lived"]): FakeInstagramToken | ScriptedFailure {
    if (!token) return graphError(400, 100, "OAuthException", "An active access token must be used to query information about the current user.");
    const record = tokens.get(token);
    if (revoked.has(token)) {
      return graphError(400, 190, "OAuthException", "Error validating access token: The user has not authorized application.", 458);
    }
    if (!record || !kinds.includes(record.kind)) return graphError(400, 190, "OAuthException", "Invalid OAuth access token - Cannot parse access token");
    if (record.expiresAt.getTime() <= now().getTime()) {
      return graphError(400, 190, "OAuthException", "Error validating access token: Session has expired.", 463);
    }
    return record;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    // Graph paths come with or without a version segment.
    const path = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, "").replace(/\/+$/, "");
    const route = `${request.method ?? "GET"} ${path}`;
    if (route === "GET /oauth/authorize") return consentScreen(url, response);
    if (route === "GET /oauth/authorize/decision") return consentDecision(url, response);
    if (route === "POST /oauth/access_token") return codeExchange(request, response);
    if (route === "GET /access_token") return longLivedExchange(url, response);
    if (route === "GET /refresh_access_token") return refresh(url, response);
    const token = bearerToken(request) ?? url.searchParams.get("access_token");
    if (route === "GET /me") return me(url, token, response);
    if (route === "POST /me/subscribed_apps") return subscribe(url, token, response);
    if (route === "POST /me/messages") return send(request, token, response);
    // Any other single segment is a node id: an IGSID from a messaging webhook.
    const node = /^GET \/([^/]+)$/.exec(route)?.[1];
    if (node) return leadProfile(decodeURIComponent(node), url, token, response);
    return answer(response, graphError(400, 100, "GraphMethodException", "Unsupported request - method type or path is not supported"));
  }

  function consentScreen(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    const scopes = (params.get("scope") ?? "").split(/[ ,]+/);
    const redirectUri = params.get("redirect_uri");
    if (params.get("client_id") !== appId || !redirectUri || params.get("response_type") !== "code" || !scopes.includes("instagram_business_basic")) {
      response.writeHead(400, { "Content-Type": "text/html; charset=utf-8" }).end("<!doctype html><title>Error</title><p>Invalid platform app</p>");
      return;
    }
    const hidden = ["redirect_uri", "state"]
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? "")}">`)
      .join("");
    const accounts = users
      .map((user, index) => `<label><input type="radio" name="user_id" value="${escapeHtml(user.userId)}"${index === 0 ? " checked" : ""}> @${escapeHtml(user.username)}</label>`)
      .join("<br>");
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Instagram (fake): allow access</title></head>
<body><h1>Allow this app to access your Instagram account?</h1>
<p>Requested: ${escapeHtml(scopes.join(", "))}</p>
<form method="get" action="/oauth/authorize/decision">${hidden}${accounts}
<p><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></p></form></body></html>`);
  }

  function consentDecision(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    const redirect = new URL(params.get("redirect_uri") ?? "");
    const state = params.get("state");
    if (params.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      redirect.searchParams.set("error_reason", "user_denied");
      redirect.searchParams.set("error_description", "The user denied your request.");
      if (state) redirect.searchParams.set("state", state);
      response.writeHead(302, { Location: redirect.toString() }).end();
      return;
    }
    const user = users.find((candidate) => candidate.userId === params.get("user_id")) ?? users[0];
    if (!user) return answer(response, graphError(400, 100, "OAuthException", "No Instagram account to authorize"));
    const code = `AQ${randomBytes(32).toString("base64url")}`;
    codes.set(code, { userId: user.userId, redirectUri: params.get("redirect_uri") ?? "", expiresAt: now().getTime() + CODE_LIFETIME_MS });
    recordTestSecret(code);
    redirect.searchParams.set("code", code);
    if (state) redirect.searchParams.set("state", state);
    // Meta appends `#_` to the redirect; browsers keep it to themselves.
    response.writeHead(302, { Location: `${redirect.toString()}#_` }).end();
  }

  async function codeExchange(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readRequestBody(request));
    if (form.get("client_id") !== appId || form.get("client_secret") !== appSecret) {
      return answer(response, flatError("Invalid Client ID or client secret"));
    }
    if (form.get("grant_type") !== "authorization_code") return answer(response, flatError("Invalid grant_type"));
    const code = form.get("code") ?? "";
    const issued = codes.get(code);
    // A code works once, for the redirect URI it was issued to, within minutes.
    codes.delete(code);
    if (!issued || issued.expiresAt <= now().getTime()) return answer(response, flatError("Invalid authorization code"));
    if (issued.redirectUri !== form.get("redirect_uri")) return answer(response, flatError("Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request"));
    const token = mint("short_lived", issued.userId, now(), SHORT_LIVED_SECONDS);
    sendJson(response, 200, { data: [{ access_token: token.token, user_id: issued.userId, permissions: "instagram_business_basic,instagram_business_manage_messages" }] });
  }

  function longLivedExchange(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    if (params.get("grant_type") !== "ig_exchange_token") return answer(response, graphError(400, 100, "OAuthException", "Unsupported grant_type"));
    if (params.get("client_secret") !== appSecret) return answer(response, graphError(400, 101, "OAuthException", "Error validating client secret."));
    const checked = checkToken(params.get("access_token"), ["short_lived"]);
    if (!("token" in checked)) return answer(response, checked);
    const token = mint("long_lived", checked.userId, now(), LONG_LIVED_SECONDS);
    sendJson(response, 200, { access_token: token.token, token_type: "bearer", expires_in: LONG_LIVED_SECONDS });
  }

  function refresh(url: URL, response: ServerResponse): void {
    const params = url.searchParams;
    if (params.get("grant_type") !== "ig_refresh_token") return answer(response, graphError(400, 100, "OAuthException", "Unsupported grant_type"));
    const checked = checkToken(params.get("access_token"));
    if (!("token" in checked)) return answer(response, checked);
    if (now().getTime() - checked.issuedAt.getTime() < REFRESH_MIN_AGE_MS) {
      return answer(response, graphError(400, 100, "OAuthException", "The access token must be at least 24 hours old to be refreshed."));
    }
    const token = mint("long_lived", checked.userId, now(), LONG_LIVED_SECONDS);
    sendJson(response, 200, { access_token: token.token, token_type: "bearer", expires_in: LONG_LIVED_SECONDS });
  }

  function me(url: URL, token: string | null, response: ServerResponse): void {
    const checked = checkToken(token);
    if (!("token" in checked)) return answer(response, checked);
    const user = users.find((candidate) => candidate.userId === checked.userId);
    if (!user) return answer(response, graphError(400, 100, "GraphMethodException", "Object does not exist"));
    const all: Record<string, string> = { id: user.appScopedId, user_id: user.userId, username: user.username };
    const fields = (url.searchParams.get("fields") ?? "id").split(",").map((field) => field.trim());
    sendJson(response, 200, Object.fromEntries([["id", user.appScopedId], ...fields.filter((field) => field in all).map((field) => [field, all[field]])]));
  }

  function subscribe(url: URL, token: string | null, response: ServerResponse): void {
    const checked = checkToken(token);
    if (!("token" in checked)) return answer(response, checked);
    const fields = (url.searchParams.get("subscribed_fields") ?? "").split(",").filter(Boolean);
    if (fields.length === 0) return answer(response, graphError(400, 100, "OAuthException", "(#100) The parameter subscribed_fields is required."));
    subscriptions.set(checked.userId, fields);
    sendJson(response, 200, { success: true });
  }

  async function send(request: IncomingMessage, token: string | null, response: ServerResponse): Promise<void> {
    const checked = checkToken(token);
    if (!("token" in checked)) return answer(response, checked);
    let json: unknown;
    try {
      json = JSON.parse(await readRequestBody(request));
    } catch {
      json = undefined;
    }
    const body = sendBodySchema.safeParse(json);
    if (!body.success || (body.data.tag !== undefined) !== (body.data.messaging_type === "MESSAGE_TAG")) {
      return answer(response, graphError(400, 100, "OAuthException", "(#100) Invalid parameter"));
    }
    const failure = failures.next();
    if (failure) return answer(response, failure);
    const messageId = ids.id("mid.", ids.next());
    sentMessages.push({ recipientId: body.data.recipient.id, message: body.data.message, tag: body.data.tag ?? null, messageId, accessToken: checked.token });
    await sendHold.pass();
    if (!(await slow.wait(response))) return;
    sendJson(response, 200, { recipient_id: body.data.recipient.id, message_id: messageId });
  }

  async function leadProfile(igsid: string, url: URL, token: string | null, response: ServerResponse): Promise<void> {
    const fields = (url.searchParams.get("fields") ?? "").split(",").map((field) => field.trim()).filter(Boolean);
    profileRequests.push({ igsid, fields, accessToken: token ?? "" });
    await profileHold.pass();
    if (response.destroyed) return;
    const checked = checkToken(token);
    if (!("token" in checked)) return answer(response, checked);
    const failure = profileFailures.next();
    if (failure) return answer(response, failure);
    const unknown = fields.find((field) => !(field in INSTAGRAM_USER_PROFILE_FIELD_TYPES));
    if (unknown) return answer(response, graphError(400, 100, "IGApiException", `(#100) Tried accessing nonexisting field (${unknown})`));
    const profile = leadProfiles.get(igsid);
    if (!profile) return answer(response, INSTAGRAM_USER_PROFILE_NO_CONSENT);
    // Graph answers the fields asked for that have a value, plus the node's id.
    const values: Record<string, unknown> = { ...profile };
    const present = fields.filter((field) => values[field] !== undefined).map((field) => [field, values[field]]);
    sendJson(response, 200, { ...Object.fromEntries(present), id: igsid });
  }

  const server = await listenFake(options.port, handle);

  return {
    url: server.url,
    appId,
    appSecret,
    users,
    sentMessages,
    subscriptions,
    issuedTokens: () => [...tokens.values()],
    issueLongLivedToken(userId, tokenOptions = {}) {
      return mint("long_lived", userId, tokenOptions.issuedAt ?? now(), tokenOptions.expiresInSeconds ?? LONG_LIVED_SECONDS).token;
    },
    revokeToken: (token) => void revoked.add(token),
    failNextSend: (failure, times) => failures.add(failure, times),
    answerSendsAfter: (delayMs) => slow.set(delayMs),
    holdSends: () => sendHold.hold(),
    profileRequests,
    addLeadProfile: (profile) => void leadProfiles.set(profile.igsid, profile),
    failNextProfile: (failure, times) => profileFailures.add(failure, times),
    holdProfiles: () => profileHold.hold(),
    async close() {
      // A held request would otherwise keep its socket open forever.
      sendHold.releaseAll();
      profileHold.releaseAll();
      await server.close();
    },
  };
}

/** Requests that wait, once hold() was called, until its release(). */
function holdable(): { hold(): FakeInstagramHold; pass(): Promise<void>; releaseAll(): void } {
  let current: { arrived: () => void; gate: Promise<void>; release: () => void } | null = null;
  return {
    hold() {
      let arrived = () => {};
      let open = () => {};
      const received = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (open = resolve));
      const held = {
        arrived,
        gate,
        release() {
          if (current === held) current = null;
          open();
        },
      };
      current = held;
      return { received, release: held.release };
    },
    async pass() {
      if (!current) return;
      const { arrived, gate } = current;
      arrived();
      await gate;
    },
    releaseAll: () => current?.release(),
  };
}

/** Graph's error envelope, exactly as Meta sends it. */
function graphError(status: number, code: number, type: string, message: string, subcode?: number): ScriptedFailure {
  return {
    status,
    body: { error: { message, type, code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: "AFakeTraceIdForTests" } },
  };
}

/** api.instagram.com's older flat error shape (code exchange). */
function flatError(message: string): ScriptedFailure {
  return { status: 400, body: { error_type: "OAuthException", code: 400, error_message: message } };
}

function answer(response: ServerResponse, failure: ScriptedFailure): void {
  sendJson(response, failure.status, failure.body, failure.headers);
}

function bearerToken(request: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
