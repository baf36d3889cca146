import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withClient } from "../src/admin/index.ts";
import { captureDelivery, listConnections } from "../src/index.ts";
import { useTestDatabase } from "../src/testing/index.ts";

// The data step of migration *_platform_inbound_addresses, run again on rows written the old way.
const migrationsDir = path.resolve(import.meta.dirname, "../prisma/migrations");
const folder = readdirSync(migrationsDir).find((name) => name.endsWith("_platform_inbound_addresses"));
const migration = readFileSync(path.join(migrationsDir, folder ?? "missing", "migration.sql"), "utf8");

const t = useTestDatabase();
const CLAIMED = "hello@shop.example";

describe("retiring owner-chosen inbound addresses", () => {
  it("stops routing them, tells the owner to reconnect, and leaves other channels alone", async () => {
    const owner = await t.db.asSystem(async (tx) => {
      const user = await tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } });
      await tx.connection.create({ data: { userId: user.id, channel: "email", externalAccountId: CLAIMED, status: "connected", displayName: CLAIMED } });
      await tx.connection.create({ data: { userId: user.id, channel: "whatsapp", externalAccountId: "106540352242922", status: "connected" } });
      return user.id;
    });

    await withClient(t.adminUrl, (client) => client.query(migration));

    const byChannel = Object.fromEntries((await listConnections(t.db, { userId: owner })).map((row) => [row.channel, row]));
    expect(byChannel.email).toMatchObject({ status: "needs_reconnect", externalAccountId: null, statusReason: expect.stringMatching(/Reconnect email/) });
    expect(byChannel.whatsapp).toMatchObject({ status: "connected", externalAccountId: "106540352242922" });
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findMany({ where: { action: "connection.needs_reconnect" } }));
    expect(audit).toHaveLength(1);

    const summary = await captureDelivery(t.db, {
      deliveryId: "legacy-address-mail",
      receivedAt: new Date(),
      delivery: {
        channel: "email",
        rejected: [],
        groups: [
          {
            accountId: CLAIMED,
            rawEntries: [{}],
            events: [{ kind: "notice", accountId: CLAIMED, notice: "unsupported", detail: "test" }],
          },
        ],
      },
    });
    expect(summary.groups).toMatchObject([{ accountId: CLAIMED, userId: null, outcome: "unrouted" }]);
  });
});
