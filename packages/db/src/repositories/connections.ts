import { disconnectUndoDeadline, type TokenCipher } from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { Prisma, type Channel, type ConnectionStatus } from "../generated/prisma/client.ts";

/** Another account already connected this external account (an Instagram id can belong to one owner). */
export class ConnectionInUseError extends Error {
  override name = "ConnectionInUseError";
  readonly channel: Channel;
  constructor(channel: Channel) {
    super(`This ${channel} account is already connected to another Audnix account`);
    this.channel = channel;
  }
}

/** What the dashboard may see of a connection: never its credentials. */
export interface ConnectionSummary {
  channel: Channel;
  status: ConnectionStatus;
  statusReason: string | null;
  displayName: string | null;
  externalAccountId: string | null;
  tokenExpiresAt: Date | null;
  updatedAt: Date;
  settings: Prisma.JsonValue;
  /** The `pnpm dev` launch whose local fake this was connected against; null = a real vendor. */
  sandboxRunId: string | null;
}

const summaryFields = {
  channel: true,
  status: true,
  statusReason: true,
  displayName: true,
  externalAccountId: true,
  tokenExpiresAt: true,
  updatedAt: true,
  settings: true,
  sandboxRunId: true,
} as const satisfies Prisma.ConnectionSelect;

export interface SaveConnectionInput {
  userId: string;
  channel: Channel;
  externalAccountId: string;
  /** Keep the id the row already has, if any (email: the platform-assigned inbound address never changes). */
  keepExternalAccountId?: boolean;
  displayName: string;
  /** Plain secrets (one of the schemas in @audnix/core connections/credentials); sealed here. */
  credentials: Record<string, unknown>;
  settings?: Prisma.InputJsonObject;
  cipher: TokenCipher;
  tokenIssuedAt?: Date | null;
  tokenExpiresAt?: Date | null;
  /** Set when the credentials were verified against this `pnpm dev` launch's local fake (SANDBOX_RUN_ID). */
  sandboxRunId?: string | null;
  now: Date;
}

/** Connects (or reconnects) the user's account on a channel, sealing its credentials. */
export async function saveConnection(db: Db, input: SaveConnectionInput): Promise<ConnectionSummary> {
  const sealed = input.cipher.encrypt(JSON.stringify(input.credentials));
  const fields = {
    displayName: input.displayName,
    status: "connected" as const,
    statusReason: null,
    // New credentials replace any a disconnect kept for its undo.
    undoDisconnectUntil: null,
    credentialsCiphertext: sealed.ciphertext,
    credentialsKeyId: sealed.keyId,
    tokenIssuedAt: input.tokenIssuedAt ?? null,
    tokenExpiresAt: input.tokenExpiresAt ?? null,
    sandboxRunId: input.sandboxRunId ?? null,
    updatedAt: input.now,
    ...(input.settings ? { settings: input.settings } : {}),
  };
  try {
    return await db.asUser(input.userId, async (tx) => {
      const kept = input.keepExternalAccountId
        ? await tx.connection.findUnique({ where: { userId_channel: { userId: input.userId, channel: input.channel } }, select: { externalAccountId: true } })
        : null;
      const externalAccountId = kept?.externalAccountId ?? input.externalAccountId;
      const saved = await tx.connection.upsert({
        where: { userId_channel: { userId: input.userId, channel: input.channel } },
        create: { userId: input.userId, channel: input.channel, createdAt: input.now, externalAccountId, ...fields },
        update: { externalAccountId, ...fields },
        select: summaryFields,
      });
      await audit(tx, input.userId, "owner", "connection.connected", input.channel, { externalAccountId }, input.now);
      return saved;
    });
  } catch (error) {
    // Row-level security hides the other owner's row, but the unique index still sees it.
    if (isUniqueViolationOn(error, "connections_channel_external_account_id_key")) throw new ConnectionInUseError(input.channel);
    throw error;
  }
}

/**
 * What erasing a disconnected channel's secrets clears. Releases the account: another owner (or
 * this one, later) may connect it again. Email's id is our own random address, which nobody else
 * can want: it stays with the account (routing skips disconnected rows), so reconnecting brings
 * back the address the owner forwards to.
 */
function forgottenCredentials(channel: Channel) {
  return {
    ...(channel === "email" ? {} : { externalAccountId: null }),
    credentialsCiphertext: null,
    credentialsKeyId: null,
    tokenIssuedAt: null,
    tokenExpiresAt: null,
    undoDisconnectUntil: null,
  };
}

/**
 * Disconnects a channel: nothing is sent or captured on it from now on (every reader of
 * credentials and capture's routing skip disconnected rows). The sealed credentials stay until
 * `undoUntil` so "Undo" can bring the channel back as it was; then forgetDisconnectedCredentials
 * erases them. The row stays so the dashboard can say "disconnected".
 */
export function disconnectConnection(
  db: Db,
  input: { userId: string; channel: Channel; now: Date },
): Promise<{ disconnected: boolean; undoUntil: Date | null }> {
  const undoUntil = disconnectUndoDeadline(input.now);
  return db.asUser(input.userId, async (tx) => {
    const { count } = await tx.connection.updateMany({
      where: { userId: input.userId, channel: input.channel, status: { not: "disconnected" } },
      data: { status: "disconnected", statusReason: null, undoDisconnectUntil: undoUntil, updatedAt: input.now },
    });
    if (count > 0) await audit(tx, input.userId, "owner", "connection.disconnected", input.channel, {}, input.now);
    return { disconnected: count > 0, undoUntil: count > 0 ? undoUntil : null };
  });
}

/**
 * "Undo" of a disconnect, within its window: the channel is connected again with the credentials
 * it had (a token that was flagged "needs reconnect" before comes back connected, and the next
 * send tells again if it still fails). False when the window closed or nothing was disconnected.
 */
export function undoDisconnect(db: Db, input: { userId: string; channel: Channel; now: Date }): Promise<{ restored: boolean }> {
  return db.asUser(input.userId, async (tx) => {
    const { count } = await tx.connection.updateMany({
      where: {
        userId: input.userId,
        channel: input.channel,
        status: "disconnected",
        undoDisconnectUntil: { gt: input.now },
        credentialsCiphertext: { not: null },
      },
      data: { status: "connected", undoDisconnectUntil: null, updatedAt: input.now },
    });
    if (count > 0) await audit(tx, input.userId, "owner", "connection.disconnect_undone", input.channel, {}, input.now);
    return { restored: count > 0 };
  });
}

/**
 * Erases the secrets of every disconnect whose undo window has closed (the worker's
 * connections:forget-disconnected, every few minutes; crosses tenants). Returns how many.
 */
export async function forgetDisconnectedCredentials(db: Db, now: Date): Promise<number> {
  return db.asSystem(async (tx) => {
    let total = 0;
    for (const channel of ["instagram", "whatsapp", "email"] as const satisfies Channel[]) {
      const { count } = await tx.connection.updateMany({
        where: { channel, status: "disconnected", undoDisconnectUntil: { lte: now } },
        data: forgottenCredentials(channel),
      });
      total += count;
    }
    return total;
  });
}

export function listConnections(db: Db, input: { userId: string }): Promise<ConnectionSummary[]> {
  return db.asUser(input.userId, (tx) =>
    tx.connection.findMany({ where: { userId: input.userId }, orderBy: { channel: "asc" }, select: summaryFields }),
  );
}

/**
 * The decrypted credentials of a connected channel (callers parse them with the channel's schema
 * from @audnix/core), or null when the channel is not connected.
 */
export async function loadConnectionCredentials(
  db: Db,
  input: { userId: string; channel: Channel },
  cipher: TokenCipher,
): Promise<{ connection: ConnectionSummary; credentials: unknown } | null> {
  const row = await db.asUser(input.userId, (tx) =>
    tx.connection.findFirst({
      where: { userId: input.userId, channel: input.channel, status: "connected" },
      select: { ...summaryFields, credentialsCiphertext: true, credentialsKeyId: true },
    }),
  );
  if (!row?.credentialsCiphertext || !row.credentialsKeyId) return null;
  const { credentialsCiphertext, credentialsKeyId, ...connection } = row;
  const credentials: unknown = JSON.parse(cipher.decrypt({ ciphertext: credentialsCiphertext, keyId: credentialsKeyId }));
  return { connection, credentials };
}

/**
 * Keeps the (now useless) token out of use until the owner reconnects; `reason` is shown on the
 * dashboard, so it is written for the owner.
 */
export function markConnectionNeedsReconnect(
  db: Db,
  input: { userId: string; channel: Channel; reason: string; now: Date },
): Promise<{ marked: boolean }> {
  return db.asUser(input.userId, async (tx) => {
    const { count } = await tx.connection.updateMany({
      where: { userId: input.userId, channel: input.channel, status: "connected" },
      data: { status: "needs_reconnect", statusReason: input.reason, updatedAt: input.now },
    });
    if (count > 0) {
      await audit(tx, input.userId, "system", "connection.needs_reconnect", input.channel, { reason: input.reason }, input.now);
    }
    return { marked: count > 0 };
  });
}

export interface InstagramTokenDue {
  userId: string;
  externalAccountId: string | null;
  tokenIssuedAt: Date | null;
  tokenExpiresAt: Date | null;
}

/**
 * Connected Instagram tokens old enough to refresh (Meta refuses tokens younger than 24 h) and
 * expiring soon, soonest first. Expired tokens are left out: Meta cannot refresh them either.
 * Cron path, so it crosses tenants; the token itself is loaded per owner with loadConnectionCredentials.
 */
export function listInstagramTokensDueForRefresh(
  db: Db,
  input: {
    now: Date;
    minAgeHours: number;
    expiringWithinDays: number;
    limit: number;
    /** The last row of the previous page: rows a run could not refresh stay due, so pages move on by cursor. */
    after?: Pick<InstagramTokenDue, "userId" | "tokenExpiresAt">;
  },
): Promise<InstagramTokenDue[]> {
  const issuedBefore = new Date(input.now.getTime() - input.minAgeHours * 3_600_000);
  const expiresBefore = new Date(input.now.getTime() + input.expiringWithinDays * 86_400_000);
  return db.asSystem((tx) =>
    tx.connection.findMany({
      where: {
        channel: "instagram",
        status: "connected",
        credentialsCiphertext: { not: null },
        tokenExpiresAt: { gt: input.now, lte: expiresBefore },
        AND: [
          { OR: [{ tokenIssuedAt: null }, { tokenIssuedAt: { lte: issuedBefore } }] },
          ...(input.after?.tokenExpiresAt
            ? [
                {
                  OR: [
                    { tokenExpiresAt: { gt: input.after.tokenExpiresAt } },
                    { tokenExpiresAt: input.after.tokenExpiresAt, userId: { gt: input.after.userId } },
                  ],
                },
              ]
            : []),
        ],
      },
      orderBy: [{ tokenExpiresAt: "asc" }, { userId: "asc" }],
      take: input.limit,
      select: { userId: true, externalAccountId: true, tokenIssuedAt: true, tokenExpiresAt: true },
    }),
  );
}

/**
 * Stores a refreshed long-lived token. Only a still-connected row is updated, so a disconnect that
 * raced the refresh wins.
 */
export function saveRefreshedInstagramToken(
  db: Db,
  input: { userId: string; accessToken: string; tokenIssuedAt: Date; tokenExpiresAt: Date; cipher: TokenCipher },
): Promise<{ saved: boolean }> {
  const sealed = input.cipher.encrypt(JSON.stringify({ accessToken: input.accessToken }));
  return db.asSystem(async (tx) => {
    const { count } = await tx.connection.updateMany({
      where: { userId: input.userId, channel: "instagram", status: "connected" },
      data: {
        credentialsCiphertext: sealed.ciphertext,
        credentialsKeyId: sealed.keyId,
        tokenIssuedAt: input.tokenIssuedAt,
        tokenExpiresAt: input.tokenExpiresAt,
        updatedAt: input.tokenIssuedAt,
      },
    });
    return { saved: count > 0 };
  });
}

const REENCRYPT_BATCH = 100;

/**
 * Re-seals every stored secret that an older key sealed under the cipher's current key, in
 * batches, each its own transaction. Returns how many were re-sealed. After it ran, old keys can
 * be dropped from ENCRYPTION_OLD_KEYS.
 */
export async function reencryptAllConnections(db: Db, cipher: TokenCipher): Promise<number> {
  let total = 0;
  for (;;) {
    const count = await db.asSystem(async (tx) => {
      const stale = await tx.connection.findMany({
        where: { credentialsCiphertext: { not: null }, credentialsKeyId: { not: cipher.currentKeyId } },
        select: { id: true, credentialsCiphertext: true, credentialsKeyId: true },
        take: REENCRYPT_BATCH,
        orderBy: { id: "asc" },
      });
      for (const row of stale) {
        const plaintext = cipher.decrypt({ ciphertext: row.credentialsCiphertext ?? "", keyId: row.credentialsKeyId ?? "" });
        const sealed = cipher.encrypt(plaintext);
        // Compare-and-set: a connect or refresh that wrote meanwhile already used the current key.
        await tx.connection.updateMany({
          where: { id: row.id, credentialsCiphertext: row.credentialsCiphertext },
          data: { credentialsCiphertext: sealed.ciphertext, credentialsKeyId: sealed.keyId },
        });
      }
      return stale.length;
    });
    total += count;
    if (count < REENCRYPT_BATCH) return total;
  }
}

async function audit(
  tx: Tx,
  userId: string,
  actor: "owner" | "system",
  action: string,
  channel: Channel,
  data: Prisma.InputJsonObject,
  now: Date,
) {
  await tx.auditLog.create({ data: { userId, actor, action, target: channel, data, createdAt: now } });
}

function isUniqueViolationOn(error: unknown, constraint: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  // The pg driver adapter reports the violated index inside meta.driverAdapterError.
  return JSON.stringify(error.meta ?? {}).includes(`"${constraint}"`);
}
