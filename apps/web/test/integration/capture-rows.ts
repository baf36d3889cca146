import type { Db } from "@audnix/db";

/** What capture wrote, across all tenants: "nothing written" assertions compare these before and after. */
export function captureRowCounts(db: Db) {
  return db.asSystem(async (tx) => ({
    webhookEvents: await tx.webhookEvent.count(),
    leads: await tx.lead.count(),
    messages: await tx.message.count(),
  }));
}

/** The owner's leads with this platform id, with their messages. */
export function leadsWithExternalId(db: Db, owner: string, externalId: string) {
  return db.asUser(owner, (tx) => tx.lead.findMany({ where: { externalId }, include: { messages: true } }));
}
