import { randomBytes } from "node:crypto";
import { ConnectionInUseError, saveConnection } from "@audnix/db";
import {
  cleanAuthorizationCode,
  connectInstagramAccount,
  InstagramApiError,
  instagramAuthorizeUrl,
  type InstagramOAuthConfig,
} from "@audnix/integrations";
import { createCookie, redirect } from "@remix-run/node";
import { z } from "zod";
import { sameSecret } from "../auth/openid-client.server.ts";
import { db } from "../db.server.ts";
import { getEnv } from "../env.server.ts";
import { logger } from "../logger.server.ts";
import { requireUserId } from "../session.server.ts";
import { tokenCipher } from "../token-cipher.server.ts";

const CONNECTIONS_PAGE = "/dashboard/connections";
const FLOW_LIFETIME_SECONDS = 10 * 60;

/** What the connections page is told in `?instagram=` after a connect attempt. */
export type InstagramConnectOutcome = "connected" | "denied" | "invalid_state" | "in_use" | "failed" | "not_configured";

// The state of one connect attempt, bound to the signed-in owner: a callback opened by anyone else
// (or a forged link carrying someone else's code) matches neither. Signed and HttpOnly; Lax is sent
// on Meta's top-level redirect back.
const flowCookie = createCookie("__Host-audnix_connect_instagram", {
  httpOnly: true,
  secure: true,
  sameSite: "lax",
  path: "/",
  maxAge: FLOW_LIFETIME_SECONDS,
  secrets: [getEnv().JWT_SECRET],
});
const flowSchema = z.object({ state: z.string().min(32), userId: z.uuid() });

const callbackSchema = z.object({
  code: z.string().min(1).optional(),
  state: z.string().optional(),
  error: z.string().optional(),
});

function oauthConfig(): (InstagramOAuthConfig & { redirectUri: string }) | null {
  const env = getEnv();
  if (!env.INSTAGRAM_APP_ID || !env.INSTAGRAM_APP_SECRET) return null;
  return {
    appId: env.INSTAGRAM_APP_ID,
    appSecret: env.INSTAGRAM_APP_SECRET,
    oauthBaseUrl: env.INSTAGRAM_OAUTH_BASE_URL,
    graphBaseUrl: env.INSTAGRAM_GRAPH_BASE_URL,
    redirectUri: env.INSTAGRAM_REDIRECT_URI ?? new URL("/api/connect/instagram/callback", env.APP_URL).toString(),
  };
}

function backToConnections(outcome: InstagramConnectOutcome, headers?: HeadersInit): Response {
  return redirect(`${CONNECTIONS_PAGE}?instagram=${outcome}`, { headers });
}

/** Sends the signed-in owner to Instagram's consent screen. */
export async function startInstagramConnect(request: Request): Promise<Response> {
  const userId = await requireUserId(request);
  const config = oauthConfig();
  if (!config) return backToConnections("not_configured");
  const state = randomBytes(32).toString("base64url");
  return redirect(instagramAuthorizeUrl(config, { redirectUri: config.redirectUri, state }), {
    headers: { "Set-Cookie": await flowCookie.serialize({ state, userId }) },
  });
}

/**
 * Meta's answer: checks the state, exchanges the code for a long-lived token, reads the account,
 * subscribes it to messages and stores the connection. Every outcome lands on the connections page.
 */
export async function finishInstagramConnect(request: Request): Promise<Response> {
  const userId = await requireUserId(request);
  const clear = { "Set-Cookie": await flowCookie.serialize("", { maxAge: 0 }) };
  const config = oauthConfig();
  if (!config) return backToConnections("not_configured", clear);
  const flow = flowSchema.safeParse(await flowCookie.parse(request.headers.get("Cookie"))).data;
  const query = callbackSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams)).data ?? {};

  if (!flow || flow.userId !== userId || !query.state || !sameSecret(query.state, flow.state)) {
    logger.warn("instagram connect rejected: state does not match this browser's attempt");
    return backToConnections("invalid_state", clear);
  }
  if (query.error || !query.code) return backToConnections("denied", clear);

  try {
    const account = await connectInstagramAccount(config, { code: cleanAuthorizationCode(query.code), redirectUri: config.redirectUri });
    const now = new Date();
    await saveConnection(db, {
      userId,
      channel: "instagram",
      externalAccountId: account.accountId,
      displayName: `@${account.username}`,
      credentials: { accessToken: account.accessToken },
      cipher: tokenCipher(),
      tokenIssuedAt: now,
      tokenExpiresAt: new Date(now.getTime() + account.expiresIn * 1000),
      sandboxRunId: getEnv().sandboxRunId,
      now,
    });
  } catch (error) {
    if (error instanceof ConnectionInUseError) return backToConnections("in_use", clear);
    if (!(error instanceof InstagramApiError)) throw error;
    // Code, type and trace id are what Meta support asks for; the error never holds a token.
    logger.warn("instagram connect failed", { step: error.message, code: error.code, type: error.type, fbtraceId: error.fbtraceId });
    return backToConnections("failed", clear);
  }
  return backToConnections("connected", clear);
}
