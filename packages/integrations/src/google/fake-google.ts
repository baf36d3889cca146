import { timingSafeEqual } from "node:crypto";
import {
  fakeSecret,
  startFakeOpenIdProvider,
  type FakeIdentity,
  type FakeOpenIdProvider,
} from "../openid/fake-openid-provider.ts";

// Google's OpenID Connect endpoints as the sign-in flow uses them: the authorization page
// (accounts.google.com/o/oauth2/v2/auth), the token endpoint (oauth2.googleapis.com/token), the
// signing keys (www.googleapis.com/oauth2/v3/certs) and discovery, all on one local origin. The
// consent page lists the identities with an "Allow" link each and one "Deny" link.

export interface FakeGoogleOptions {
  clientId?: string;
  clientSecret?: string;
  identities?: FakeIdentity[];
  now?: () => Date;
  /** Skip the consent page and sign in as the first identity. */
  autoApprove?: boolean;
  port?: number;
}

export interface FakeGoogle extends FakeOpenIdProvider {
  clientId: string;
  clientSecret: string;
  identities: FakeIdentity[];
}

export const FAKE_GOOGLE_DEFAULT_IDENTITY: FakeIdentity = {
  sub: "100000000000000000001",
  email: "owner@sandbox.audnix.local",
  emailVerified: true,
  name: "Sandbox Owner",
};

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? "fake-google-client.apps.googleusercontent.com";
  const clientSecret = options.clientSecret ?? fakeSecret("GOCSPX-fake");
  const identities = options.identities ?? [FAKE_GOOGLE_DEFAULT_IDENTITY];
  const provider = await startFakeOpenIdProvider({
    clientId,
    identities,
    now: options.now ?? (() => new Date()),
    port: options.port,
    autoApprove: options.autoApprove ?? false,
    paths: { authorize: "/o/oauth2/v2/auth", token: "/token", jwks: "/oauth2/v3/certs" },
    responseMode: "query",
    consentTitle: "Sign in with Google",
    // client_secret_post: the credentials travel in the form body.
    authenticateClient: async (form) => form.get("client_id") === clientId && sameText(form.get("client_secret"), clientSecret),
    identityClaims: (identity) => ({
      azp: clientId,
      email: identity.email,
      email_verified: identity.emailVerified ?? true,
      ...(identity.name ? { name: identity.name } : {}),
    }),
  });
  return { ...provider, clientId, clientSecret, identities };
}

function sameText(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
