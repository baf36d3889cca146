import { randomBytes } from "node:crypto";
import { createLogger, createTokenCipher, decodeEncryptionKey } from "@audnix/core";
import { listConnections, loadConnectionCredentials, saveConnection } from "@audnix/db";
import { withClient } from "@audnix/db/admin";
import { useTestDatabase } from "@audnix/db/testing";
import { startFakeInstagram, type FakeInstagram } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startWorker } from "../../src/worker.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TASK = "connections:refresh-instagram-tokens";

const t = useTestDatabase();
let fake: FakeInstagram;
let runner: Runner;
let clock = new Date(Date.UTC(2026, 10, 20, 3, 17));
const encryptionKey = randomBytes(32).toString("base64");
const cipher = createTokenCipher(decodeEncryptionKey(encryptionKey, "ENCRYPTION_KEY"));
const lines: Record<string, unknown>[] = [];
const completed = new Map<string, unknown>();
const ago = (ms: number) => new Date(clock.getTime() - ms);
const ahead = (ms: number) => new Date(clock.getTime() + ms);

beforeAll(async () => {
  recordTestSecret(new URL(t.appUrl).password, encryptionKey);
  fake = await startFakeInstagram({
    now: () => clock,
    users: ["1", "2", "3", "4"].map((n) => ({ userId: `1784140000000000${n}`, appScopedId: `2600000000000000${n}`, username: `shop_${n}` })),
  });
  const logger = createLogger({ level: "info", sink: (line) => lines.push(JSON.parse(line)) });
  runner = await startWorker({
    env: { WORKER_CONCURRENCY: 1, ENCRYPTION_KEY: encryptionKey, INSTAGRAM_GRAPH_BASE_URL: fake.url },
    db: t.db,
    logger,
    now: () => clock,
  });
  runner.events.on("job:complete", ({ job, error }) => completed.set(job.id, error));
});

afterAll(async () => {
  await runner?.stop();
  await fake?.close();
});

beforeEach(async () => {
  clock = new Date(Date.UTC(2026, 10, 20, 3, 17));
  lines.length = 0;
  await withClient(t.adminUrl, (c) => c.query("TRUNCATE users CASCADE"));
});

/** An owner whose Instagram token Meta issued at `issuedAt`, stored as the connect flow stores it. */
async function connectedOwner(n: string, fakeIssuedAt: Date, stored: { issuedAt: Date; expiresAt: Date } = { issuedAt: fakeIssuedAt, expiresAt: new Date(fakeIssuedAt.getTime() + 60 * DAY) }) {
  const igUserId = `1784140000000000${n}`;
  const user = await t.db.asSystem((tx) => tx.user.create({ data: { email: `owner${n}@shop.example` } }));
  const expiresInSeconds = Math.round((stored.expiresAt.getTime() - fakeIssuedAt.getTime()) / 1000);
  const token = fake.issueLongLivedToken(igUserId, { issuedAt: fakeIssuedAt, expiresInSeconds });
  await saveConnection(t.db, {
    userId: user.id,
    channel: "instagram",
    externalAccountId: igUserId,
    displayName: `@shop_${n}`,
    credentials: { accessToken: token },
    cipher,
    tokenIssuedAt: stored.issuedAt,
    tokenExpiresAt: stored.expiresAt,
    now: stored.issuedAt,
  });
  return { userId: user.id, token };
}

async function runRefresh(): Promise<void> {
  const job = await runner.addJob(TASK, {});
  await vi.waitFor(() => expect(completed.has(job.id)).toBe(true), { timeout: 15_000, interval: 20 });
  expect(completed.get(job.id)).toBeNull();
}

const storedToken = async (userId: string) =>
  ((await loadConnectionCredentials(t.db, { userId, channel: "instagram" }, cipher))?.credentials as { accessToken: string } | undefined)?.accessToken;
const connectionOf = async (userId: string) => (await listConnections(t.db, { userId }))[0];

describe(TASK, () => {
  it("refreshes a token that is due and leaves a fresh one alone", async () => {
    const due = await connectedOwner("1", ago(55 * DAY));
    const fresh = await connectedOwner("2", ago(2 * DAY));

    await runRefresh();

    const refreshed = await storedToken(due.userId);
    expect(refreshed).not.toBe(due.token);
    expect(fake.issuedTokens().find((token) => token.token === refreshed)).toMatchObject({ kind: "long_lived", issuedAt: clock });
    expect(await connectionOf(due.userId)).toMatchObject({ status: "connected", tokenExpiresAt: ahead(60 * DAY) });
    expect(await storedToken(fresh.userId)).toBe(fresh.token);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "instagram tokens refreshed", due: 1, refreshed: 1 }));
    expect(JSON.stringify(lines)).not.toContain(due.token);
    expect(JSON.stringify(lines)).not.toContain(refreshed);
  });

  it("marks a token Instagram rejects (190) as needing a reconnect, and still refreshes the others", async () => {
    const revoked = await connectedOwner("1", ago(55 * DAY));
    const healthy = await connectedOwner("2", ago(56 * DAY));
    fake.revokeToken(revoked.token);

    await runRefresh();

    expect(await connectionOf(revoked.userId)).toMatchObject({
      status: "needs_reconnect",
      statusReason: expect.stringContaining("Connect Instagram again") as unknown,
    });
    expect(await storedToken(revoked.userId)).toBeUndefined();
    expect(await storedToken(healthy.userId)).not.toBe(healthy.token);
    expect((await connectionOf(healthy.userId))?.status).toBe("connected");
    expect(lines).toContainEqual(expect.objectContaining({ msg: "instagram tokens refreshed", due: 2, refreshed: 1, needsReconnect: 1 }));
  });

  it("keeps a connection whose refresh failed for now, and warns the owner only when time runs out", async () => {
    // Our row says the token is old enough; Meta, issuing it an hour ago, refuses to refresh it yet.
    const early = await connectedOwner("1", ago(HOUR), { issuedAt: ago(50 * DAY), expiresAt: ahead(5 * DAY) });
    const lastDay = await connectedOwner("2", ago(HOUR), { issuedAt: ago(59 * DAY), expiresAt: ahead(12 * HOUR) });
    const healthy = await connectedOwner("3", ago(55 * DAY));

    await runRefresh();

    expect(await connectionOf(early.userId)).toMatchObject({ status: "connected", statusReason: null });
    expect(await storedToken(early.userId)).toBe(early.token);
    expect(await connectionOf(lastDay.userId)).toMatchObject({
      status: "needs_reconnect",
      statusReason: expect.stringContaining("expires within a day") as unknown,
    });
    expect(await storedToken(healthy.userId)).not.toBe(healthy.token);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "instagram tokens refreshed", due: 3, refreshed: 1, failed: 1, needsReconnect: 1 }));
  });

  it("a token refreshed today is not due again tomorrow", async () => {
    const owner = await connectedOwner("1", ago(55 * DAY));
    await runRefresh();
    const first = await storedToken(owner.userId);

    clock = ahead(DAY);
    await runRefresh();

    expect(await storedToken(owner.userId)).toBe(first);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "instagram tokens refreshed", due: 0 }));
  });
});
