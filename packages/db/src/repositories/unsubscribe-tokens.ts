import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../client.ts";
import { recordOptOut } from "./follow-ups.ts";

/** Lead fact holding the secret half of the lead's email unsubscribe token. */
export const UNSUBSCRIBE_TOKEN_FACT = "unsubscribe_token";

const TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{32})$/i;

/**
 * The lead's unsubscribe token, created on first use: `<lead id>.<24 random bytes, base64url>`.
 * The lead id lets the public route find the lead without an index on fact values; the random
 * part is what proves the link came from our email.
 */
export async function ensureUnsubscribeToken(
  db: Db,
  input: { userId: string; leadId: string; random?: (bytes: number) => Buffer },
): Promise<string> {
  const candidate = `${input.leadId}.${(input.random ?? randomBytes)(24).toString("base64url")}`;
  return db.asUser(input.userId, async (tx) => {
    await tx.leadFact.upsert({
      where: { leadId_key: { leadId: input.leadId, key: UNSUBSCRIBE_TOKEN_FACT } },
      create: { userId: input.userId, leadId: input.leadId, key: UNSUBSCRIBE_TOKEN_FACT, value: candidate },
      update: {},
    });
    const fact = await tx.leadFact.findUniqueOrThrow({
      where: { leadId_key: { leadId: input.leadId, key: UNSUBSCRIBE_TOKEN_FACT } },
      select: { value: true },
    });
    return fact.value;
  });
}

/** Who a token belongs to, or null when it is malformed or unknown (system path: the visitor is anonymous). */
export async function findUnsubscribeLead(db: Db, token: string): Promise<{ userId: string; leadId: string } | null> {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const leadId = match[1]!.toLowerCase();
  const fact = await db.asSystem((tx) =>
    tx.leadFact.findUnique({
      where: { leadId_key: { leadId, key: UNSUBSCRIBE_TOKEN_FACT } },
      select: { userId: true, value: true },
    }),
  );
  if (!fact) return null;
  const expected = Buffer.from(fact.value);
  const given = Buffer.from(token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { userId: fact.userId, leadId };
}

/** The unsubscribe link was confirmed: the lead is opted out everywhere. False for an unknown token. */
export async function unsubscribeByToken(db: Db, input: { token: string; now: Date }): Promise<boolean> {
  const lead = await findUnsubscribeLead(db, input.token);
  if (!lead) return false;
  await recordOptOut(db, { ...lead, source: "unsubscribe_link", now: input.now });
  return true;
}
