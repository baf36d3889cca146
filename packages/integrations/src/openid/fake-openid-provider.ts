import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { recordTestSecret } from "../testing/log-audit.ts";

// What Google's and Apple's fakes share: an OpenID Connect authorization-code provider with PKCE,
// single-use codes and signed id_tokens, over real HTTP. Each vendor's fake supplies its paths,
// how it authenticates the client, how the answer reaches the redirect_uri and its claim quirks.

export interface FakeIdentity {
  sub: string;
  email: string;
  emailVerified?: boolean;
  name?: string;
}

/** One-shot changes to the next id_token, so a test can mint exactly one bad token. */
export interface IdTokenOverrides {
  aud?: string;
  nonce?: string;
  iss?: string;
  /** Unix seconds. */
  exp?: number;
  emailVerified?: boolean;
}

export interface CompletedAuthorization {
  identity: FakeIdentity;
  /** The callback fields the provider sends back to redirect_uri. */
  params: Record<string, string>;
}

export interface FakeOpenIdProviderSpec {
  clientId: string;
  identities: FakeIdentity[];
  now: () => Date;
  port?: number;
  /** Starts the consent page already answered "Allow" for the first identity. */
  autoApprove: boolean;
  paths: { authorize: string; token: string; jwks: string };
  /** Whether the token request proves it comes from the registered client. */
  authenticateClient(form: URLSearchParams, issuer: string): Promise<boolean>;
  /** Claims beyond iss/aud/sub/iat/exp/nonce, in the vendor's shapes. */
  identityClaims(identity: FakeIdentity): Record<string, unknown>;
  /** Extra callback fields for an approved authorization (Apple's one-time `user`). */
  extraCallbackParams?(identity: FakeIdentity): Record<string, string>;
  responseMode: "query" | "form_post";
  consentTitle: string;
}

export interface FakeOpenIdProvider {
  /** The issuer: every endpoint hangs off it, and id_tokens carry it as `iss`. */
  url: string;
  nextIdTokenOverrides(overrides: IdTokenOverrides): void;
  /** Codes presented at the token endpoint, in order (a reused code appears twice). */
  redeemedCodes: string[];
  close(): Promise<void>;
}

interface PendingAuthorization {
  redirectUri: string;
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
}

interface IssuedCode extends PendingAuthorization {
  identity: FakeIdentity;
  expiresAt: number;
  used: boolean;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const ID_TOKEN_LIFETIME_SECONDS = 3600;

export async function startFakeOpenIdProvider(spec: FakeOpenIdProviderSpec): Promise<FakeOpenIdProvider> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const keyId = randomBytes(8).toString("hex");
  const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: "RS256", use: "sig" };
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();
  const redeemedCodes: string[] = [];
  let overrides: IdTokenOverrides = {};
  let issuer = "";

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", issuer);
    if (request.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return json(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}${spec.paths.authorize}`,
        token_endpoint: `${issuer}${spec.paths.token}`,
        jwks_uri: `${issuer}${spec.paths.jwks}`,
        response_types_supported: ["code"],
        response_modes_supported: [spec.responseMode],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        scopes_supported: ["openid", "email", "name", "profile"],
      });
    }
    if (request.method === "GET" && url.pathname === spec.paths.jwks) return json(response, 200, { keys: [publicJwk] });
    if (request.method === "GET" && url.pathname === spec.paths.authorize) return authorize(url, response);
    if (request.method === "GET" && url.pathname === `${spec.paths.authorize}/decision`) return decide(url, response);
    if (request.method === "POST" && url.pathname === spec.paths.token) return token(request, response);
    return json(response, 404, { error: "not_found" });
  }

  function authorize(url: URL, response: ServerResponse): void {
    const query = url.searchParams;
    const redirectUri = query.get("redirect_uri");
    // Like the real providers: a bad client or redirect_uri is shown to the user, never redirected to.
    if (query.get("client_id") !== spec.clientId) return page(response, 400, "Error 401: invalid_client", "The OAuth client was not found.");
    if (!redirectUri || !URL.canParse(redirectUri)) return page(response, 400, "Error 400: invalid_request", "Missing or invalid redirect_uri.");
    if (query.get("response_type") !== "code") return page(response, 400, "Error 400: unsupported_response_type", "Only response_type=code is supported.");
    // Apple insists on form_post once name or email are requested; Google redirects with a query.
    if (spec.responseMode === "form_post" && query.get("response_mode") !== "form_post") {
      return page(response, 400, "Error 400: invalid_request", "response_mode must be form_post.");
    }
    const codeChallenge = query.get("code_challenge");
    // This fake insists on PKCE (S256) so a flow that forgets it fails in tests, not in an audit.
    if (!codeChallenge || query.get("code_challenge_method") !== "S256") {
      return page(response, 400, "Error 400: invalid_request", "PKCE with code_challenge_method=S256 is required.");
    }
    const transaction = randomUUID();
    pending.set(transaction, { redirectUri, state: query.get("state"), nonce: query.get("nonce"), codeChallenge });
    if (spec.autoApprove) return finish(response, transaction, "allow", 0);
    const choices = spec.identities
      .map(
        (identity, index) =>
          `<li><a href="${escapeHtml(decisionLink(transaction, "allow", index))}">Allow</a> as ${escapeHtml(identity.name ?? identity.email)} &lt;${escapeHtml(identity.email)}&gt;</li>`,
      )
      .join("");
    page(
      response,
      200,
      spec.consentTitle,
      `<p>Sign in to the application with:</p><ul>${choices}</ul><p><a href="${escapeHtml(decisionLink(transaction, "deny", 0))}">Deny</a></p>`,
      true,
    );
  }

  function decisionLink(transaction: string, decision: "allow" | "deny", identity: number): string {
    return `${spec.paths.authorize}/decision?${new URLSearchParams({ transaction, decision, identity: String(identity) }).toString()}`;
  }

  function decide(url: URL, response: ServerResponse): void {
    const decision = url.searchParams.get("decision") === "allow" ? "allow" : "deny";
    finish(response, url.searchParams.get("transaction") ?? "", decision, Number(url.searchParams.get("identity") ?? 0));
  }

  function finish(response: ServerResponse, transaction: string, decision: "allow" | "deny", identityIndex: number): void {
    const authorization = pending.get(transaction);
    const identity = spec.identities[identityIndex];
    if (!authorization || !identity) return page(response, 400, "Error 400: invalid_request", "This sign-in request has expired.");
    pending.delete(transaction);
    const params: Record<string, string> = {};
    if (decision === "deny") {
      params.error = spec.responseMode === "form_post" ? "user_cancelled_authorize" : "access_denied";
    } else {
      const code = `fake-code-${randomBytes(16).toString("base64url")}`;
      recordTestSecret(code);
      codes.set(code, { ...authorization, identity, expiresAt: spec.now().getTime() + CODE_LIFETIME_MS, used: false });
      params.code = code;
      Object.assign(params, spec.extraCallbackParams?.(identity) ?? {});
    }
    if (authorization.state !== null) params.state = authorization.state;
    deliver(response, authorization.redirectUri, params);
  }

  function deliver(response: ServerResponse, redirectUri: string, params: Record<string, string>): void {
    if (spec.responseMode === "query") {
      const target = new URL(redirectUri);
      for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
      response.writeHead(302, { Location: target.toString(), "Cache-Control": "no-store" });
      response.end();
      return;
    }
    const fields = Object.entries(params)
      .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
      .join("");
    const body = `<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${fields}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    response.end(body);
  }

  async function token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(request));
    if (!(await spec.authenticateClient(form, issuer))) {
      return json(response, 401, { error: "invalid_client", error_description: "The OAuth client was not found." });
    }
    if (form.get("grant_type") !== "authorization_code") return json(response, 400, { error: "unsupported_grant_type" });
    const code = form.get("code") ?? "";
    redeemedCodes.push(code);
    const issued = codes.get(code);
    // A code is spent the moment it is presented, whatever else is wrong with the request.
    const usable = issued !== undefined && !issued.used && issued.expiresAt > spec.now().getTime();
    if (issued) issued.used = true;
    if (!issued || !usable) return json(response, 400, { error: "invalid_grant", error_description: "Malformed auth code." });
    if (form.get("redirect_uri") !== issued.redirectUri) {
      return json(response, 400, { error: "invalid_grant", error_description: "redirect_uri_mismatch" });
    }
    if (!pkceMatches(form.get("code_verifier"), issued.codeChallenge)) {
      return json(response, 400, { error: "invalid_grant", error_description: "Invalid code verifier." });
    }
    const accessToken = `fake-access-${randomBytes(24).toString("base64url")}`;
    recordTestSecret(accessToken);
    json(response, 200, {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: ID_TOKEN_LIFETIME_SECONDS,
      scope: "openid email profile",
      id_token: await mintIdToken(issued),
    });
  }

  async function mintIdToken(issued: IssuedCode): Promise<string> {
    const oneShot = overrides;
    overrides = {};
    const issuedAt = Math.floor(spec.now().getTime() / 1000);
    const identity = oneShot.emailVerified === undefined ? issued.identity : { ...issued.identity, emailVerified: oneShot.emailVerified };
    const nonce = oneShot.nonce ?? issued.nonce;
    return new SignJWT({ ...spec.identityClaims(identity), ...(nonce === null ? {} : { nonce }) })
      .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
      .setIssuer(oneShot.iss ?? issuer)
      .setAudience(oneShot.aud ?? spec.clientId)
      .setSubject(identity.sub)
      .setIssuedAt(issuedAt)
      .setExpirationTime(oneShot.exp ?? issuedAt + ID_TOKEN_LIFETIME_SECONDS)
      .sign(privateKey);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) json(response, 500, { error: "server_error" });
      else response.end();
    });
  });
  server.listen(spec.port ?? 0, "127.0.0.1");
  await once(server, "listening");
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: issuer,
    nextIdTokenOverrides: (next) => {
      overrides = { ...next };
    },
    redeemedCodes,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

function pkceMatches(verifier: string | null, challenge: string): boolean {
  if (!verifier) return false;
  const expected = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  response.end(JSON.stringify(body));
}

function page(response: ServerResponse, status: number, title: string, body: string, bodyIsHtml = false): void {
  response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  response.end(
    `<!doctype html><html><head><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${bodyIsHtml ? body : `<p>${escapeHtml(body)}</p>`}</body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Secret-shaped values a fake hands out by default, recorded for the log audit. */
export function fakeSecret(prefix: string): string {
  const value = `${prefix}-${randomBytes(18).toString("base64url")}`;
  recordTestSecret(value);
  return value;
}
