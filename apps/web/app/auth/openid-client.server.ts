import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import type { SignInFlow } from "./oauth-transient-cookie.server.ts";
import { SignInFailure } from "./sign-in-failure.server.ts";

// The OpenID Connect authorization-code flow both providers speak: PKCE (S256), state and nonce on
// the way out; on the way back a single-use code redeemed server-side and an id_token whose
// signature (provider JWKS), issuer, audience, expiry and nonce are all checked.

export interface OpenIdProvider {
  issuer: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** Provider-specific authorization parameters (Apple's response_mode=form_post). */
  authorizationParams: Record<string, string>;
  /** Google's is a fixed secret; Apple's is a short-lived JWT minted per request. */
  clientSecret(): Promise<string>;
}

const PROVIDER_TIMEOUT_MS = 10_000;

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});

interface ProviderMetadata {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  keys: JWTVerifyGetKey;
}

// Endpoints and keys change rarely; one lookup per process (retried after a failure). The key set
// refetches by itself when a token names a key it has not seen (provider key rotation).
const metadataByIssuer = new Map<string, Promise<ProviderMetadata>>();

function providerMetadata(issuer: string): Promise<ProviderMetadata> {
  const cached = metadataByIssuer.get(issuer);
  if (cached) return cached;
  const loading = discover(issuer);
  metadataByIssuer.set(issuer, loading);
  loading.catch(() => metadataByIssuer.delete(issuer));
  return loading;
}

async function discover(issuer: string): Promise<ProviderMetadata> {
  const response = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, {
    headers: { Accept: "application/json" },
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`OpenID discovery failed with status ${response.status}`);
  const document = discoverySchema.parse(await response.json());
  // OpenID Connect Discovery 1.0 §4.3: a document for another issuer must not be used.
  if (document.issuer !== issuer) throw new Error("OpenID discovery returned a different issuer");
  return {
    authorizationEndpoint: document.authorization_endpoint,
    tokenEndpoint: document.token_endpoint,
    keys: createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: PROVIDER_TIMEOUT_MS }),
  };
}

function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Fresh secrets for one sign-in attempt. */
export function newSignInFlow(redirectTo: string): SignInFlow {
  return { state: randomToken(), codeVerifier: randomToken(), nonce: randomToken(), redirectTo };
}

export async function authorizationUrl(provider: OpenIdProvider, flow: SignInFlow): Promise<string> {
  const { authorizationEndpoint } = await providerMetadata(provider.issuer);
  const url = new URL(authorizationEndpoint);
  const params = {
    ...provider.authorizationParams,
    response_type: "code",
    client_id: provider.clientId,
    redirect_uri: provider.redirectUri,
    scope: provider.scope,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: createHash("sha256").update(flow.codeVerifier).digest("base64url"),
    code_challenge_method: "S256",
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const tokenResponseSchema = z.object({ id_token: z.string().min(1) });
const tokenErrorSchema = z.object({ error: z.string() });

// Apple sends email_verified as the string "true"; Google as a boolean.
const identityClaimsSchema = z.object({
  sub: z.string().min(1),
  email: z.email().optional(),
  email_verified: z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]).optional(),
  name: z.string().optional(),
  nonce: z.string().optional(),
});

export interface VerifiedIdentity {
  sub: string;
  email: string;
  name: string | null;
}

/** Redeems the code and returns the identity its id_token proves, or throws SignInFailure. */
export async function redeemAuthorizationCode(
  provider: OpenIdProvider,
  flow: SignInFlow,
  code: string,
  now: Date,
): Promise<VerifiedIdentity> {
  const { tokenEndpoint, keys } = await providerMetadata(provider.issuer);
  const response = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: provider.redirectUri,
      code_verifier: flow.codeVerifier,
      client_id: provider.clientId,
      client_secret: await provider.clientSecret(),
    }),
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = tokenErrorSchema.safeParse(body);
    // invalid_grant: the code was already redeemed, expired, or belongs to another PKCE verifier.
    if (error.success && error.data.error === "invalid_grant") throw new SignInFailure("code", "token endpoint: invalid_grant");
    throw new SignInFailure("provider", `token endpoint answered ${response.status} ${error.success ? error.data.error : ""}`.trim());
  }
  const tokens = tokenResponseSchema.safeParse(body);
  if (!tokens.success) throw new SignInFailure("provider", "token endpoint sent no id_token");

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(tokens.data.id_token, keys, {
      issuer: provider.issuer,
      audience: provider.clientId,
      algorithms: ["RS256"],
      requiredClaims: ["sub", "iat", "exp"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new SignInFailure("token", `id_token rejected: ${error.code}`, { cause: error });
    throw error;
  }
  const claims = identityClaimsSchema.safeParse(payload);
  if (!claims.success) throw new SignInFailure("token", "id_token claims have the wrong shape");
  if (claims.data.nonce === undefined || !sameSecret(claims.data.nonce, flow.nonce)) {
    throw new SignInFailure("token", "id_token nonce does not match this sign-in");
  }
  if (!claims.data.email || claims.data.email_verified !== true) {
    throw new SignInFailure("unverified", "id_token email missing or not verified");
  }
  return { sub: claims.data.sub, email: claims.data.email, name: claims.data.name ?? null };
}
