import { z } from "zod";

// Business Login for Instagram (Instagram API with Instagram Login): consent screen -> code ->
// short-lived token (1 h) -> long-lived token (60 days) -> profile -> webhook subscription, and the
// scheduled refresh. Every URL here may carry the app secret or a token, so none of them is ever
// logged or put into an error; errors carry Meta's code, type and trace id only.

export const INSTAGRAM_SCOPES = ["instagram_business_basic", "instagram_business_manage_messages"] as const;
export const INSTAGRAM_GRAPH_VERSION = "v22.0";

export interface InstagramOAuthConfig {
  appId: string;
  appSecret: string;
  /** Hosts the consent screen and the code exchange: https://api.instagram.com (or the fake). */
  oauthBaseUrl: string;
  /** https://graph.instagram.com (or the fake). */
  graphBaseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface LongLivedToken {
  accessToken: string;
  /** Seconds the token is valid from now (about 60 days). */
  expiresIn: number;
}

export interface InstagramProfile {
  /** The professional account id Meta's webhooks put in entry[].id (user_id, falling back to id). */
  accountId: string;
  username: string;
}

export interface ConnectedInstagramAccount extends LongLivedToken, InstagramProfile {}

/**
 * A refused or failed call. `tokenInvalid` (code 190) means the owner must connect again; the
 * message names the step and Meta's code, never a token, secret or URL.
 */
export class InstagramApiError extends Error {
  override name = "InstagramApiError";
  readonly status: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly type: string | null;
  readonly fbtraceId: string | null;
  readonly tokenInvalid: boolean;
  constructor(step: string, details: { status: number | null; code?: number | null; subcode?: number | null; type?: string | null; fbtraceId?: string | null }) {
    const code = details.code ?? null;
    const label = details.status === null ? "no answer" : `HTTP ${details.status}${code === null ? "" : `, code ${code}`}`;
    super(`Instagram ${step} failed (${label})`);
    this.status = details.status;
    this.code = code;
    this.subcode = details.subcode ?? null;
    this.type = details.type ?? null;
    this.fbtraceId = details.fbtraceId ?? null;
    this.tokenInvalid = code === 190;
  }
}

// Graph answers {error:{...}}; api.instagram.com still answers the older flat shape.
const graphErrorSchema = z.object({
  error: z.looseObject({
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    type: z.string().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
const flatErrorSchema = z.looseObject({ code: z.number().int().optional(), error_type: z.string().optional() });

const shortLivedTokenSchema = z.union([
  z.object({ data: z.array(z.looseObject({ access_token: z.string().min(1) })).min(1) }).transform((body) => body.data[0]!),
  z.looseObject({ access_token: z.string().min(1) }),
]);
const longLivedTokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const idSchema = z.union([z.string().min(1), z.number().int().transform(String)]);
const profileSchema = z.looseObject({ id: idSchema, user_id: idSchema.optional(), username: z.string().min(1) });
const successSchema = z.looseObject({ success: z.literal(true) });

/** The consent screen the owner is sent to; `state` ties the answer to this browser. */
export function instagramAuthorizeUrl(config: Pick<InstagramOAuthConfig, "appId" | "oauthBaseUrl">, input: { redirectUri: string; state: string }): string {
  const url = new URL(`${trimSlash(config.oauthBaseUrl)}/oauth/authorize`);
  url.searchParams.set("client_id", config.appId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", INSTAGRAM_SCOPES.join(","));
  url.searchParams.set("state", input.state);
  return url.toString();
}

/**
 * Meta appends `#_` to the redirect. Browsers keep fragments to themselves, but a code pasted or
 * relayed by hand can still carry it.
 */
export function cleanAuthorizationCode(code: string): string {
  return code.replace(/#_?$/, "");
}

/** Code -> long-lived token -> profile -> messages webhook subscription: everything a connection needs. */
export async function connectInstagramAccount(config: InstagramOAuthConfig, input: { code: string; redirectUri: string }): Promise<ConnectedInstagramAccount> {
  const shortLived = await exchangeCodeForShortLivedToken(config, input);
  const longLived = await exchangeForLongLivedToken(config, shortLived);
  const profile = await fetchInstagramProfile(config, longLived.accessToken);
  await subscribeToMessages(config, longLived.accessToken);
  return { ...longLived, ...profile };
}

export async function exchangeCodeForShortLivedToken(config: InstagramOAuthConfig, input: { code: string; redirectUri: string }): Promise<string> {
  const form = new URLSearchParams({
    client_id: config.appId,
    client_secret: config.appSecret,
    grant_type: "authorization_code",
    redirect_uri: input.redirectUri,
    code: cleanAuthorizationCode(input.code),
  });
  const body = await call(config, "code exchange", `${trimSlash(config.oauthBaseUrl)}/oauth/access_token`, { method: "POST", body: form });
  return parseOrThrow("code exchange", shortLivedTokenSchema, body).access_token;
}

export async function exchangeForLongLivedToken(config: InstagramOAuthConfig, shortLivedToken: string): Promise<LongLivedToken> {
  const url = graphUrl(config, "/access_token", { grant_type: "ig_exchange_token", client_secret: config.appSecret, access_token: shortLivedToken });
  const body = parseOrThrow("long-lived token exchange", longLivedTokenSchema, await call(config, "long-lived token exchange", url));
  return { accessToken: body.access_token, expiresIn: body.expires_in };
}

/** A long-lived token at least 24 h old and unexpired -> a fresh 60-day token. */
export async function refreshLongLivedToken(config: Pick<InstagramOAuthConfig, "graphBaseUrl" | "fetch" | "timeoutMs">, accessToken: string): Promise<LongLivedToken> {
  const url = graphUrl(config, "/refresh_access_token", { grant_type: "ig_refresh_token", access_token: accessToken });
  const body = parseOrThrow("token refresh", longLivedTokenSchema, await call(config, "token refresh", url));
  return { accessToken: body.access_token, expiresIn: body.expires_in };
}

export async function fetchInstagramProfile(config: Pick<InstagramOAuthConfig, "graphBaseUrl" | "fetch" | "timeoutMs">, accessToken: string): Promise<InstagramProfile> {
  const url = graphUrl(config, `/${INSTAGRAM_GRAPH_VERSION}/me`, { fields: "id,user_id,username", access_token: accessToken });
  const body = parseOrThrow("profile check", profileSchema, await call(config, "profile check", url));
  return { accountId: body.user_id ?? body.id, username: body.username };
}

/**
 * Without this subscription Meta sends the account's DMs to no webhook at all. `messaging_seen`
 * brings the lead's reads (read.mid), which mark our messages read (docs/decisions/0026).
 */
export async function subscribeToMessages(config: Pick<InstagramOAuthConfig, "graphBaseUrl" | "fetch" | "timeoutMs">, accessToken: string): Promise<void> {
  const url = graphUrl(config, `/${INSTAGRAM_GRAPH_VERSION}/me/subscribed_apps`, {
    subscribed_fields: INSTAGRAM_WEBHOOK_FIELDS.join(","),
    access_token: accessToken,
  });
  parseOrThrow("webhook subscription", successSchema, await call(config, "webhook subscription", url, { method: "POST" }));
}

/** The webhook fields every connected account is subscribed to. */
const INSTAGRAM_WEBHOOK_FIELDS = ["messages", "messaging_seen"] as const;

function graphUrl(config: Pick<InstagramOAuthConfig, "graphBaseUrl">, path: string, query: Record<string, string>): string {
  return `${trimSlash(config.graphBaseUrl)}${path}?${new URLSearchParams(query).toString()}`;
}

async function call(
  config: Pick<InstagramOAuthConfig, "fetch" | "timeoutMs">,
  step: string,
  url: string,
  init: { method?: string; body?: URLSearchParams } = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await (config.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(config.timeoutMs ?? 15_000) });
  } catch {
    // The underlying error may quote the URL, and the URL holds secrets: only say it failed.
    throw new InstagramApiError(step, { status: null });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return body;
  const graph = graphErrorSchema.safeParse(body);
  if (graph.success) {
    const { code, error_subcode, type, fbtrace_id } = graph.data.error;
    throw new InstagramApiError(step, { status: response.status, code, subcode: error_subcode, type, fbtraceId: fbtrace_id });
  }
  const flat = flatErrorSchema.safeParse(body);
  throw new InstagramApiError(step, { status: response.status, code: flat.data?.code ?? null, type: flat.data?.error_type ?? null });
}

function parseOrThrow<Schema extends z.ZodType>(step: string, schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new InstagramApiError(`${step} answer`, { status: 200, type: "unexpected response shape" });
  return parsed.data;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
