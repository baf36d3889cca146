import { signInWithProvider } from "@audnix/db";
import { redirect } from "@remix-run/node";
import { db } from "../db.server.ts";
import { logger } from "../logger.server.ts";
import { requireWithinRateLimit } from "../rate-limit.server.ts";
import { safeRedirect } from "../safe-redirect.ts";
import { createUserSession } from "../session.server.ts";
import { appleProvider, appleUserName } from "./apple-sign-in.server.ts";
import { googleProvider } from "./google-sign-in.server.ts";
import {
  clearSignInFlow,
  readSignInFlow,
  writeSignInFlow,
  type SignInFlow,
  type SignInProvider,
} from "./oauth-transient-cookie.server.ts";
import {
  authorizationUrl,
  newSignInFlow,
  redeemAuthorizationCode,
  sameSecret,
  type OpenIdProvider,
  type VerifiedIdentity,
} from "./openid-client.server.ts";
import type { SignInErrorCode } from "./sign-in-errors.ts";
import { SignInFailure } from "./sign-in-failure.server.ts";

// Errors a provider may send back instead of a code when the user declines.
const CANCELLED_ERRORS = new Set(["access_denied", "user_cancelled_authorize"]);

function configuredProvider(name: SignInProvider): OpenIdProvider {
  const provider = name === "google" ? googleProvider() : appleProvider();
  if (!provider) throw new Response("Not found", { status: 404 });
  return provider;
}

/**
 * Sends the browser to the provider, remembering this attempt in the transient cookie. Each start
 * spends the client address's sign-in budget: it costs a discovery fetch and a signed cookie.
 */
export async function startProviderSignIn(name: SignInProvider, request: Request, clientAddress: string): Promise<Response> {
  const provider = configuredProvider(name);
  await requireWithinRateLimit("signInStart", clientAddress);
  const form = await request.formData();
  const flow = newSignInFlow(safeRedirect(form.get("redirectTo")));
  let location: string;
  try {
    location = await authorizationUrl(provider, flow);
  } catch (error) {
    logger.error("sign-in provider discovery failed", { provider: name, error });
    return failedSignIn(name, "provider", flow.redirectTo);
  }
  return redirect(location, { headers: { "Set-Cookie": await writeSignInFlow(name, flow) } });
}

/**
 * Handles the provider's answer (`callback`: query for Google, form body for Apple). Only a fully
 * verified identity reaches the database; every failure ends on /auth with a message.
 */
export async function finishProviderSignIn(
  name: SignInProvider,
  request: Request,
  callback: URLSearchParams,
): Promise<Response> {
  const provider = configuredProvider(name);
  const flow = await readSignInFlow(name, request);
  let identity: VerifiedIdentity;
  try {
    identity = await verifyCallback(provider, flow, callback);
  } catch (error) {
    if (!(error instanceof SignInFailure)) throw error;
    logger.warn("sign-in rejected", { provider: name, reason: error.message });
    return failedSignIn(name, error.code, flow?.redirectTo);
  }
  const { user } = await signInWithProvider(db, {
    provider: name,
    providerAccountId: identity.sub,
    email: identity.email,
    // Apple's id_token has no name; it posts one, unsigned, on the first authorization only.
    name: identity.name ?? (name === "apple" ? appleUserName(callback.get("user")) : null),
    now: new Date(),
  });
  const response = await createUserSession(request, user.id, flow?.redirectTo ?? safeRedirect(null));
  response.headers.append("Set-Cookie", await clearSignInFlow(name));
  return response;
}

async function verifyCallback(
  provider: OpenIdProvider,
  flow: SignInFlow | null,
  callback: URLSearchParams,
): Promise<VerifiedIdentity> {
  if (!flow) throw new SignInFailure("expired", "no sign-in flow cookie (expired, tampered or another browser)");
  const state = callback.get("state");
  if (state === null || !sameSecret(state, flow.state)) throw new SignInFailure("state", "state does not match the flow cookie");
  const error = callback.get("error");
  if (error !== null) {
    throw new SignInFailure(CANCELLED_ERRORS.has(error) ? "cancelled" : "provider", `provider returned error ${error.slice(0, 64)}`);
  }
  const code = callback.get("code");
  if (!code) throw new SignInFailure("provider", "callback without a code");
  try {
    return await redeemAuthorizationCode(provider, flow, code, new Date());
  } catch (failure) {
    if (failure instanceof SignInFailure) throw failure;
    // Network failures and timeouts talking to the provider.
    throw new SignInFailure("provider", "token exchange failed", { cause: failure });
  }
}

async function failedSignIn(name: SignInProvider, code: SignInErrorCode, redirectTo: string | undefined): Promise<Response> {
  const search = new URLSearchParams({ error: code });
  if (redirectTo && redirectTo !== safeRedirect(null)) search.set("redirectTo", redirectTo);
  return redirect(`/auth?${search.toString()}`, { headers: { "Set-Cookie": await clearSignInFlow(name) } });
}
