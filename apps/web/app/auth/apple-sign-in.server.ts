import { importPKCS8, SignJWT } from "jose";
import { z } from "zod";
import { getEnv } from "../env.server.ts";
import type { OpenIdProvider } from "./openid-client.server.ts";

// Apple accepts client secrets valid for up to six months; a fresh five-minute one per token
// request means a leaked secret is worthless almost at once.
const CLIENT_SECRET_LIFETIME_SECONDS = 5 * 60;

let signingKey: { pem: string; key: ReturnType<typeof importPKCS8> } | undefined;

function appleSigningKey(pem: string): ReturnType<typeof importPKCS8> {
  if (signingKey?.pem !== pem) signingKey = { pem, key: importPKCS8(pem, "ES256") };
  return signingKey.key;
}

/** Sign in with Apple as an OpenID provider, or null while any APPLE_* variable is unset. */
export function appleProvider(now: () => Date = () => new Date()): OpenIdProvider | null {
  const env = getEnv();
  const { APPLE_CLIENT_ID: clientId, APPLE_TEAM_ID: teamId, APPLE_KEY_ID: keyId, APPLE_PRIVATE_KEY: privateKey } = env;
  if (!clientId || !teamId || !keyId || !privateKey) return null;
  const issuer = env.APPLE_ISSUER_URL;
  return {
    issuer,
    clientId,
    redirectUri: new URL("/auth/apple/callback", env.APP_URL).toString(),
    scope: "name email",
    // Apple requires form_post whenever name or email are requested.
    authorizationParams: { response_mode: "form_post" },
    clientSecret: async () => {
      const issuedAt = Math.floor(now().getTime() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: "ES256", kid: keyId })
        .setIssuer(teamId)
        .setSubject(clientId)
        .setAudience(issuer)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + CLIENT_SECRET_LIFETIME_SECONDS)
        .sign(await appleSigningKey(privateKey));
    },
  };
}

const appleUserSchema = z.object({
  name: z.object({ firstName: z.string().optional(), lastName: z.string().optional() }).optional(),
});

/**
 * The name from the `user` field Apple posts on a user's first authorization only (JSON). It is
 * not signed, so it is used for the display name and nothing else.
 */
export function appleUserName(userField: string | null): string | null {
  if (!userField) return null;
  let value: unknown;
  try {
    value = JSON.parse(userField);
  } catch {
    return null;
  }
  const parsed = appleUserSchema.safeParse(value);
  if (!parsed.success || !parsed.data.name) return null;
  const name = [parsed.data.name.firstName, parsed.data.name.lastName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
  return name === "" ? null : name.slice(0, 200);
}
