import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { jwtVerify } from "jose";
import { startFakeOpenIdProvider, type FakeIdentity, type FakeOpenIdProvider } from "../openid/fake-openid-provider.ts";

// Sign in with Apple as appleid.apple.com serves it: /auth/authorize answers with a page that
// form_posts code, state and (on the first authorization only) a `user` JSON to the redirect_uri;
// /auth/token authenticates the client by an ES256 JWT client_secret signed with the team's key;
// /auth/keys publishes the id_token signing keys. Apple sends email_verified as the string "true".

export interface FakeAppleOptions {
  clientId?: string;
  teamId?: string;
  keyId?: string;
  /**
   * The public half of the key the app signs its client_secret with (PEM or KeyObject). Without it
   * the fake makes a key pair and exposes the private half as `privateKeyPem`.
   */
  clientPublicKey?: string | KeyObject;
  identities?: FakeIdentity[];
  now?: () => Date;
  /** Apple's page waits for the user; true (default) posts back at once as the first identity. */
  autoApprove?: boolean;
  port?: number;
}

export interface FakeApple extends FakeOpenIdProvider {
  clientId: string;
  teamId: string;
  keyId: string;
  /** Only when the fake made the key pair itself (sandbox mode). */
  privateKeyPem: string | null;
  identities: FakeIdentity[];
}

export const FAKE_APPLE_DEFAULT_IDENTITY: FakeIdentity = {
  sub: "000001.fakeapple.0001",
  email: "owner@sandbox.audnix.local",
  emailVerified: true,
  name: "Sandbox Owner",
};

export async function startFakeApple(options: FakeAppleOptions = {}): Promise<FakeApple> {
  const clientId = options.clientId ?? "ai.audnix.fake.signin";
  const teamId = options.teamId ?? "FAKETEAM01";
  const keyId = options.keyId ?? "FAKEKEY001";
  const identities = options.identities ?? [FAKE_APPLE_DEFAULT_IDENTITY];
  const now = options.now ?? (() => new Date());
  const generated = options.clientPublicKey === undefined ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : null;
  const clientPublicKey = generated?.publicKey ?? toPublicKey(options.clientPublicKey);
  const privateKeyPem = generated ? generated.privateKey.export({ type: "pkcs8", format: "pem" }).toString() : null;
  // Apple sends the name only the first time a user authorizes the app.
  const authorizedBefore = new Set<string>();

  const provider = await startFakeOpenIdProvider({
    clientId,
    identities,
    now,
    port: options.port,
    autoApprove: options.autoApprove ?? true,
    paths: { authorize: "/auth/authorize", token: "/auth/token", jwks: "/auth/keys" },
    responseMode: "form_post",
    consentTitle: "Sign in with Apple",
    authenticateClient: async (form, issuer) => {
      if (form.get("client_id") !== clientId) return false;
      try {
        const { payload, protectedHeader } = await jwtVerify(form.get("client_secret") ?? "", clientPublicKey, {
          algorithms: ["ES256"],
          issuer: teamId,
          subject: clientId,
          audience: issuer,
          currentDate: now(),
        });
        return protectedHeader.kid === keyId && typeof payload.iat === "number";
      } catch {
        return false;
      }
    },
    identityClaims: (identity) => ({
      email: identity.email,
      email_verified: String(identity.emailVerified ?? true),
      is_private_email: "false",
      auth_time: Math.floor(now().getTime() / 1000),
      nonce_supported: true,
    }),
    extraCallbackParams: (identity): Record<string, string> => {
      if (authorizedBefore.has(identity.sub)) return {};
      authorizedBefore.add(identity.sub);
      const [firstName = "", ...rest] = (identity.name ?? "").split(" ");
      const name = identity.name ? { name: { firstName, lastName: rest.join(" ") } } : {};
      return { user: JSON.stringify({ ...name, email: identity.email }) };
    },
  });
  return { ...provider, clientId, teamId, keyId, privateKeyPem, identities };
}

function toPublicKey(key: string | KeyObject | undefined): KeyObject {
  if (key === undefined) throw new Error("a client public key is required");
  return typeof key === "string" ? createPublicKey(key) : key;
}
