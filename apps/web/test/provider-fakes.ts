import { generateKeyPairSync } from "node:crypto";
import { startFakeApple, type FakeApple, type FakeAppleOptions, type FakeGoogle } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";

// The sign-in providers' fakes as the app is configured for them, for the integration and e2e suites alike.

/** The app's configuration for Sign in with Google against the fake `google`. */
export function googleEnv(google: FakeGoogle): Record<string, string> {
  return { GOOGLE_CLIENT_ID: google.clientId, GOOGLE_CLIENT_SECRET: google.clientSecret, GOOGLE_ISSUER_URL: google.url };
}

/**
 * A fake Apple that checks client secrets against a fresh key of the app's, and the app's
 * configuration for it, with the private key on one line as it sits in a .env file.
 */
export async function startFakeAppleForApp(identities: FakeAppleOptions["identities"]): Promise<{ apple: FakeApple; env: Record<string, string> }> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  recordTestSecret(privateKeyPem);
  const apple = await startFakeApple({ clientPublicKey: publicKey, identities });
  const env = {
    APPLE_CLIENT_ID: apple.clientId,
    APPLE_TEAM_ID: apple.teamId,
    APPLE_KEY_ID: apple.keyId,
    APPLE_PRIVATE_KEY: privateKeyPem.trim().replace(/\n/g, "\\n"),
    APPLE_ISSUER_URL: apple.url,
  };
  return { apple, env };
}
