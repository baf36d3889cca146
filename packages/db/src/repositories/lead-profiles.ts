import type { InstagramProfileFields } from "@audnix/core";
import type { Db } from "../client.ts";
import type { LeadProfileStatus } from "../generated/prisma/enums.ts";

// The lead's Instagram profile in typed columns (leads.username, profile_status,
// profile_fetched_at; docs/decisions/0023). The name lands in leads.name, but only while the lead
// has none: a name the lead gave in the conversation, or the owner typed, wins over the profile's.

export interface LeadProfileTarget {
  channel: "instagram" | "whatsapp" | "email" | "sandbox";
  /** The IGSID on Instagram. */
  externalId: string;
  name: string | null;
  username: string | null;
  profileStatus: LeadProfileStatus | null;
}

/** What a profile fetch needs to know about the lead, or null when it is gone (or not this owner's). */
export function loadLeadProfileTarget(db: Db, input: { userId: string; leadId: string }): Promise<LeadProfileTarget | null> {
  return db.asUser(input.userId, (tx) =>
    tx.lead.findUnique({
      where: { id: input.leadId },
      select: { channel: true, externalId: true, name: true, username: true, profileStatus: true },
    }),
  );
}

export type LeadProfileOutcome = ({ status: "fetched" } & InstagramProfileFields) | { status: "unavailable" | "failed" };

/**
 * Records what became of the fetch. A fetched profile fills leads.name when it is empty and
 * replaces the username (a username can change; null keeps the old one). Returns the lead's name
 * and username as stored now; null when the lead is gone.
 */
export function saveLeadProfile(
  db: Db,
  input: { userId: string; leadId: string; outcome: LeadProfileOutcome; now: Date },
): Promise<{ name: string | null; username: string | null } | null> {
  const { userId, leadId, outcome, now } = input;
  return db.asUser(userId, async (tx) => {
    const fetched = outcome.status === "fetched" ? outcome : null;
    const { count } = await tx.lead.updateMany({
      where: { id: leadId },
      data: { profileStatus: outcome.status, profileFetchedAt: now, ...(fetched?.username ? { username: fetched.username } : {}) },
    });
    if (count === 0) return null;
    // One conditional statement, so a name written meanwhile (the owner, the facts) is never overwritten.
    if (fetched?.name) {
      await tx.lead.updateMany({ where: { id: leadId, OR: [{ name: null }, { name: { equals: "" } }] }, data: { name: fetched.name } });
    }
    return tx.lead.findUnique({ where: { id: leadId }, select: { name: true, username: true } });
  });
}
