import { signInWithProvider } from "@audnix/db";
import { db } from "../db.server.ts";

const DEMO_PROVIDER = "demo";

export type DemoSignIn = { ok: true; userId: string } | { ok: false; reason: "provider_account" };

/**
 * Signs in as `email` without any proof of who is typing (development and test only). It never
 * opens an account that signs in with Google or Apple: a development database may hold real
 * owners, and typing their address must not be enough to become them.
 */
export async function demoSignIn(email: string, now: Date): Promise<DemoSignIn> {
  const providerAccounts = await db.asSystem((tx) =>
    tx.account.count({ where: { provider: { not: DEMO_PROVIDER }, user: { email } } }),
  );
  if (providerAccounts > 0) return { ok: false, reason: "provider_account" };
  const { user } = await signInWithProvider(db, { provider: DEMO_PROVIDER, providerAccountId: email, email, name: null, now });
  return { ok: true, userId: user.id };
}
