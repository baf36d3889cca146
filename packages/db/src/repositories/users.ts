import { trialExpiresAt } from "@audnix/core";
import type { Db } from "../client.ts";
import type { User } from "../generated/prisma/client.ts";

export interface ProviderIdentity {
  /** "google", "apple", or "demo" (development only). */
  provider: string;
  providerAccountId: string;
  email: string;
  name: string | null;
  now: Date;
}

/**
 * Finds or creates the user behind a verified sign-in. The same email from two providers is one
 * user; the first sign-in starts the trial; every sign-in records last_login.
 */
export function signInWithProvider(db: Db, identity: ProviderIdentity): Promise<{ user: User; isNew: boolean }> {
  const email = identity.email.trim().toLowerCase();
  // Sign-in happens before we know whose rows these are, so it is a system-path operation.
  return db.asSystem(async (tx) => {
    const linked = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: identity.provider, providerAccountId: identity.providerAccountId } },
      select: { userId: true },
    });
    const existing = linked
      ? await tx.user.findUnique({ where: { id: linked.userId } })
      : await tx.user.findUnique({ where: { email } });

    const user = existing
      ? await tx.user.update({
          where: { id: existing.id },
          data: { lastLogin: identity.now, ...(existing.name ? {} : { name: identity.name }) },
        })
      : await tx.user.create({
          data: { email, name: identity.name, trialExpiresAt: trialExpiresAt(identity.now), lastLogin: identity.now },
        });

    if (!linked) {
      await tx.account.create({
        data: { userId: user.id, provider: identity.provider, providerAccountId: identity.providerAccountId },
      });
    }
    return { user, isNew: !existing };
  });
}
