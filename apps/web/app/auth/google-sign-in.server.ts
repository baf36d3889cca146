import { getEnv } from "../env.server.ts";
import type { OpenIdProvider } from "./openid-client.server.ts";

/** Google as an OpenID provider, or null while GOOGLE_CLIENT_ID/SECRET are unset. */
export function googleProvider(): OpenIdProvider | null {
  const env = getEnv();
  const clientSecret = env.GOOGLE_CLIENT_SECRET;
  if (!env.GOOGLE_CLIENT_ID || !clientSecret) return null;
  return {
    issuer: env.GOOGLE_ISSUER_URL,
    clientId: env.GOOGLE_CLIENT_ID,
    redirectUri: new URL("/auth/google/callback", env.APP_URL).toString(),
    scope: "openid email profile",
    // Owners with several Google accounts pick one instead of being signed in as whichever is active.
    authorizationParams: { prompt: "select_account" },
    clientSecret: async () => clientSecret,
  };
}
