import type { Db } from "../client.ts";

export interface ActiveSession {
  id: string;
  userId: string;
  expiresAt: Date;
}

// Sessions are looked up by their id before the user is known: a system-path operation.

export function createSession(
  db: Db,
  input: { userId: string; expiresAt: Date; userAgent: string | null },
): Promise<{ id: string }> {
  return db.asSystem((tx) => tx.session.create({ data: input, select: { id: true } }));
}

export function findActiveSession(db: Db, input: { sessionId: string; now: Date }): Promise<ActiveSession | null> {
  return db.asSystem((tx) =>
    tx.session.findFirst({
      where: { id: input.sessionId, expiresAt: { gt: input.now } },
      select: { id: true, userId: true, expiresAt: true },
    }),
  );
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.asSystem((tx) => tx.session.deleteMany({ where: { id: sessionId } }));
}

/** Removes sessions that expired before `now`; returns how many. */
export async function purgeExpiredSessions(db: Db, now: Date): Promise<number> {
  const { count } = await db.asSystem((tx) => tx.session.deleteMany({ where: { expiresAt: { lte: now } } }));
  return count;
}
