import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { createTokenCipher, TokenCipherError, type TokenCipher } from "@audnix/core";
import { beforeEach, describe, expect, it } from "vitest";
import { repoRoot, withClient } from "../src/admin/index.ts";
import {
  ConnectionInUseError,
  disconnectConnection,
  listConnections,
  listInstagramTokensDueForRefresh,
  loadConnectionCredentials,
  markConnectionNeedsReconnect,
  reencryptAllConnections,
  saveConnection,
  saveRefreshedInstagramToken,
} from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;
const cipher = createTokenCipher(randomBytes(32));
const now = new Date(Date.UTC(2026, 10, 20, 10, 0));
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
const TOKEN = "IGAA-secret-long-lived-token-0123456789";

const connectInstagram = (userId: string, overrides: { accountId?: string; token?: string; issuedAt?: Date; expiresAt?: Date; using?: TokenCipher } = {}) =>
  saveConnection(t.db, {
    userId,
    channel: "instagram",
    externalAccountId: overrides.accountId ?? `17841400000${userId.slice(0, 4)}`,
    displayName: "@shop",
    credentials: { accessToken: overrides.token ?? TOKEN },
    cipher: overrides.using ?? cipher,
    tokenIssuedAt: overrides.issuedAt ?? now,
    tokenExpiresAt: overrides.expiresAt ?? days(60),
    now,
  });

const rawRows = () =>
  withClient(t.adminUrl, async (c) => (await c.query("SELECT * FROM connections ORDER BY created_at")).rows as Record<string, unknown>[]);

beforeEach(async () => {
  await withClient(t.adminUrl, (c) => c.query("TRUNCATE users CASCADE"));
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

describe("saveConnection", () => {
  it("stores the credentials sealed: the table never holds the token", async () => {
    await connectInstagram(owner);
    const rows = await rawRows();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    expect(rows[0]).toMatchObject({ status: "connected", credentials_key_id: cipher.currentKeyId, display_name: "@shop" });
    expect(await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, cipher)).toMatchObject({
      credentials: { accessToken: TOKEN },
      connection: { channel: "instagram", status: "connected", displayName: "@shop" },
    });
  });

  it("reconnecting replaces the token and clears a needs-reconnect reason", async () => {
    await connectInstagram(owner);
    await markConnectionNeedsReconnect(t.db, { userId: owner, channel: "instagram", reason: "Instagram revoked access", now });
    await connectInstagram(owner, { token: "IGAA-new-token" });
    const [summary] = await listConnections(t.db, { userId: owner });
    expect(summary).toMatchObject({ status: "connected", statusReason: null });
    const loaded = await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, cipher);
    expect(loaded?.credentials).toEqual({ accessToken: "IGAA-new-token" });
    expect(await rawRows()).toHaveLength(1);
  });

  it("refuses an Instagram account another owner already connected, with a typed error", async () => {
    await connectInstagram(owner, { accountId: "17841400000001" });
    await expect(connectInstagram(stranger, { accountId: "17841400000001" })).rejects.toBeInstanceOf(ConnectionInUseError);
    expect(await listConnections(t.db, { userId: stranger })).toEqual([]);
  });
});

describe("isolation", () => {
  it("a stranger can neither list nor load another owner's connection", async () => {
    await connectInstagram(owner);
    expect(await listConnections(t.db, { userId: stranger })).toEqual([]);
    expect(await loadConnectionCredentials(t.db, { userId: stranger, channel: "instagram" }, cipher)).toBeNull();
    await disconnectConnection(t.db, { userId: stranger, channel: "instagram", now });
    expect((await listConnections(t.db, { userId: owner }))[0]?.status).toBe("connected");
  });

  it("listConnections never returns credentials", async () => {
    await connectInstagram(owner);
    const listed = await listConnections(t.db, { userId: owner });
    expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
      ["channel", "displayName", "externalAccountId", "sandboxRunId", "settings", "status", "statusReason", "tokenExpiresAt", "updatedAt"].sort(),
    );
  });
});

describe("disconnectConnection", () => {
  it("stops handing out the token at once, keeps it sealed only for the undo window, and audits it", async () => {
    await connectInstagram(owner);
    expect(await disconnectConnection(t.db, { userId: owner, channel: "instagram", now })).toEqual({
      disconnected: true,
      undoUntil: new Date(now.getTime() + 10 * 60_000),
    });
    const [row] = await rawRows();
    expect(row).toMatchObject({ status: "disconnected", undo_disconnect_until: new Date(now.getTime() + 10 * 60_000) });
    expect(await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, cipher)).toBeNull();
    const actions = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ select: { action: true } }));
    expect(actions.map((a) => a.action)).toContain("connection.disconnected");
  });
});

describe("markConnectionNeedsReconnect", () => {
  it("shows the reason and stops handing out the token", async () => {
    await connectInstagram(owner);
    await markConnectionNeedsReconnect(t.db, { userId: owner, channel: "instagram", reason: "Reconnect Instagram: access expired", now });
    expect((await listConnections(t.db, { userId: owner }))[0]).toMatchObject({
      status: "needs_reconnect",
      statusReason: "Reconnect Instagram: access expired",
    });
    expect(await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, cipher)).toBeNull();
  });
});

describe("Instagram token refresh", () => {
  it("lists tokens at least a day old that expire within the window, and no others", async () => {
    await connectInstagram(owner, { issuedAt: days(-55), expiresAt: days(5) });
    await connectInstagram(stranger, { issuedAt: days(-1), expiresAt: days(59) });
    const due = await listInstagramTokensDueForRefresh(t.db, { now, minAgeHours: 24, expiringWithinDays: 10, limit: 50 });
    expect(due.map((d) => d.userId)).toEqual([owner]);
  });

  it("leaves out tokens younger than the minimum age and tokens already expired", async () => {
    await connectInstagram(owner, { issuedAt: new Date(now.getTime() - 3_600_000), expiresAt: days(5) });
    await connectInstagram(stranger, { issuedAt: days(-61), expiresAt: days(-1) });
    expect(await listInstagramTokensDueForRefresh(t.db, { now, minAgeHours: 24, expiringWithinDays: 10, limit: 50 })).toEqual([]);
  });

  it("pages by cursor, so rows that stay due never hide the ones after them", async () => {
    const third = await t.db.asSystem((tx) => tx.user.create({ data: { email: "third@shop.example" } }));
    await connectInstagram(owner, { issuedAt: days(-55), expiresAt: days(5) });
    await connectInstagram(stranger, { issuedAt: days(-55), expiresAt: days(5) });
    await connectInstagram(third.id, { issuedAt: days(-58), expiresAt: days(2) });
    const query = { now, minAgeHours: 24, expiringWithinDays: 10, limit: 2 };

    const first = await listInstagramTokensDueForRefresh(t.db, query);
    const second = await listInstagramTokensDueForRefresh(t.db, { ...query, after: first.at(-1) });

    expect(first[0]?.userId).toBe(third.id);
    expect([...first, ...second].map((d) => d.userId).sort()).toEqual([owner, stranger, third.id].sort());
    expect(second).toHaveLength(1);
  });

  it("saves a refreshed token sealed, with its new expiry", async () => {
    await connectInstagram(owner, { issuedAt: days(-55), expiresAt: days(5) });
    await saveRefreshedInstagramToken(t.db, { userId: owner, accessToken: "IGAA-refreshed", tokenIssuedAt: now, tokenExpiresAt: days(60), cipher });
    expect(JSON.stringify(await rawRows())).not.toContain("IGAA-refreshed");
    const loaded = await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, cipher);
    expect(loaded).toMatchObject({ credentials: { accessToken: "IGAA-refreshed" }, connection: { tokenExpiresAt: days(60) } });
  });

  it("does not bring back a connection that was disconnected meanwhile", async () => {
    await connectInstagram(owner, { issuedAt: days(-55), expiresAt: days(5) });
    await disconnectConnection(t.db, { userId: owner, channel: "instagram", now });
    const [before] = await rawRows();
    expect(
      await saveRefreshedInstagramToken(t.db, { userId: owner, accessToken: "IGAA-late", tokenIssuedAt: now, tokenExpiresAt: days(60), cipher }),
    ).toEqual({ saved: false });
    const [after] = await rawRows();
    expect(after).toMatchObject({ status: "disconnected", credentials_ciphertext: before?.credentials_ciphertext });
  });
});

describe("reencryptAllConnections", () => {
  it("re-seals old-key secrets under the new key, so the new key alone can read them", async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const oldCipher = createTokenCipher(oldKey);
    await connectInstagram(owner, { using: oldCipher, accountId: "1784140001" });
    await connectInstagram(stranger, { using: oldCipher, accountId: "1784140002", token: "IGAA-stranger" });

    const rotating = createTokenCipher(newKey, [oldKey]);
    expect(await reencryptAllConnections(t.db, rotating)).toBe(2);
    expect(await reencryptAllConnections(t.db, rotating)).toBe(0);

    const newOnly = createTokenCipher(newKey);
    expect((await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, newOnly))?.credentials).toEqual({ accessToken: TOKEN });
    expect((await loadConnectionCredentials(t.db, { userId: stranger, channel: "instagram" }, newOnly))?.credentials).toEqual({
      accessToken: "IGAA-stranger",
    });
    const rows = await rawRows();
    expect(rows.map((r) => r.credentials_key_id)).toEqual([newOnly.currentKeyId, newOnly.currentKeyId]);
    // The old key really is out of the picture: it cannot open what is stored now.
    expect(() => oldCipher.decrypt({ ciphertext: String(rows[0]?.credentials_ciphertext), keyId: oldCipher.currentKeyId })).toThrow(
      TokenCipherError,
    );
  });
});

describe("pnpm secrets:reencrypt", () => {
  const tsxCli = path.join(path.dirname(createRequire(path.join(repoRoot, "package.json")).resolve("tsx/package.json")), "dist/cli.mjs");

  it("re-seals under ENCRYPTION_KEY what ENCRYPTION_OLD_KEYS sealed, and prints the count", async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    await connectInstagram(owner, { using: createTokenCipher(oldKey), accountId: "1784140003" });

    const { stdout } = await promisify(execFile)(process.execPath, [tsxCli, "scripts/reencrypt-secrets.ts"], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: t.appUrl,
        ENCRYPTION_KEY: newKey.toString("base64"),
        ENCRYPTION_OLD_KEYS: ` ${randomBytes(32).toString("base64")}, ${oldKey.toString("base64")}`,
      },
    });

    const newOnly = createTokenCipher(newKey);
    expect(stdout).toContain(`re-encrypted 1 connection secret under key ${newOnly.currentKeyId}`);
    expect((await loadConnectionCredentials(t.db, { userId: owner, channel: "instagram" }, newOnly))?.credentials).toEqual({ accessToken: TOKEN });
  });
});
