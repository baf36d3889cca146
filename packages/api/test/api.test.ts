import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { useTestDatabase } from "@audnix/db/testing";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAudnixClient, type AudnixClient } from "../src/client.ts";
import { appRouter, createCaller, createTrpcContext, type RouterOutputs } from "../src/index.ts";

type LeadItem = RouterOutputs["leads"]["list"]["items"][number];

const NOW = new Date("2026-05-01T12:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);
// Stands in for the session lookup of the real adapter.
const USER_HEADER = "x-test-user-id";

const t = useTestDatabase();
let server: Server;
let url: string;
let userA: string;
let userB: string;
let leadsOfA: LeadItem[];

beforeAll(async () => {
  ({ userA, userB } = await t.db.asSystem(async (tx) => {
    const a = await tx.user.create({
      data: { email: "a@example.com", name: "Ada", trialExpiresAt: new Date(NOW.getTime() + 60 * 60 * 60_000) },
    });
    const b = await tx.user.create({ data: { email: "b@example.com", name: "Bob", plan: "pro" } });
    return { userA: a.id, userB: b.id };
  }));

  // Ties on last_message_at and created_at on purpose: the order must still be total.
  const shapes: { lastMessageAt: Date | null; createdAt: Date }[] = [
    { lastMessageAt: minutes(50), createdAt: minutes(-300) },
    { lastMessageAt: minutes(50), createdAt: minutes(-200) },
    { lastMessageAt: minutes(50), createdAt: minutes(-200) },
    { lastMessageAt: minutes(10), createdAt: minutes(-100) },
    { lastMessageAt: null, createdAt: minutes(-50) },
    { lastMessageAt: null, createdAt: minutes(-50) },
    { lastMessageAt: null, createdAt: minutes(-400) },
    { lastMessageAt: minutes(30), createdAt: minutes(-500) },
  ];
  const created = await t.db.asSystem((tx) =>
    Promise.all(
      shapes.map((shape, i) =>
        tx.lead.create({
          data: { userId: userA, externalId: `ig-${i}`, name: `Lead ${i}`, channel: "instagram", ...shape },
          select: { id: true, name: true, username: true, channel: true, status: true, lastMessageAt: true, createdAt: true, needsOwnerAt: true, needsOwnerReason: true },
        }),
      ),
    ),
  );
  // Every lead here has a name, so the list shows it.
  leadsOfA = created.map((lead) => ({ ...lead, displayName: lead.name, needsOwnerTitle: null }));
  await t.db.asSystem((tx) =>
    tx.lead.create({ data: { userId: userB, externalId: "wa-1", name: "Not yours", channel: "whatsapp" } }),
  );

  server = createHTTPServer({
    router: appRouter,
    createContext: ({ req }) => {
      const header = req.headers[USER_HEADER];
      return createTrpcContext({ db: t.db, userId: typeof header === "string" ? header : null, now: () => NOW });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server?.close((error) => (error ? reject(error) : resolve())));
});

function clientFor(userId: string | null): AudnixClient {
  return createAudnixClient({ url, headers: (): Record<string, string> => (userId ? { [USER_HEADER]: userId } : {}) });
}

/** The documented order, computed independently of the query: last message desc nulls last, created desc, id desc. */
function expectedOrder(items: LeadItem[]): LeadItem[] {
  const time = (d: Date | null) => (d === null ? -Infinity : d.getTime());
  return [...items].sort(
    (x, y) =>
      time(y.lastMessageAt) - time(x.lastMessageAt) ||
      y.createdAt.getTime() - x.createdAt.getTime() ||
      (y.id < x.id ? -1 : y.id > x.id ? 1 : 0),
  );
}

async function listAll(client: AudnixClient, limit: number): Promise<{ items: LeadItem[]; pages: number }> {
  const items: LeadItem[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.leads.list.query({ limit, cursor });
    pages += 1;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages < 50);
  return { items, pages };
}

describe("viewer.me", () => {
  it("refuses an anonymous caller", async () => {
    await expect(clientFor(null).viewer.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("returns the caller's own profile with the trial countdown from the context clock", async () => {
    const me = await clientFor(userA).viewer.me.query();
    expect(me).toEqual({
      id: userA,
      email: "a@example.com",
      name: "Ada",
      plan: "trial",
      leadsUsed: 0,
      leadsLimit: 100,
      trialExpiresAt: new Date(NOW.getTime() + 60 * 60 * 60_000),
      trialDaysLeft: 3,
      followUpBlock: null,
    });
    expect(me.trialExpiresAt).toBeInstanceOf(Date);
  });

  it("shows each user only themselves", async () => {
    const me = await clientFor(userB).viewer.me.query();
    expect(me).toMatchObject({ id: userB, email: "b@example.com", plan: "pro", trialDaysLeft: null });
  });

  it("says why AI follow-ups are paused once the trial has ended", async () => {
    const lapsed = await t.db.asSystem((tx) =>
      tx.user.create({ data: { email: "lapsed@example.com", trialExpiresAt: new Date(NOW.getTime() - 60_000) } }),
    );
    const me = await clientFor(lapsed.id).viewer.me.query();
    expect(me.followUpBlock).toEqual({
      reason: "trial_expired",
      message: expect.stringMatching(/free trial has ended.*AI follow-ups are paused/),
    });
    expect(me.trialDaysLeft).toBe(0);
  });

  it("works through the server-side caller", async () => {
    const caller = createCaller(createTrpcContext({ db: t.db, userId: userA, now: () => NOW }));
    await expect(caller.viewer.me()).resolves.toMatchObject({ id: userA });
  });
});

describe("leads.list", () => {
  it("returns only the caller's leads, newest activity first", async () => {
    const page = await clientFor(userA).leads.list.query({});
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual(expectedOrder(leadsOfA));

    const other = await clientFor(userB).leads.list.query({});
    expect(other.items.map((lead) => lead.name)).toEqual(["Not yours"]);
  });

  it.each([1, 3, 4, 7, 8, 100])("pages through every lead exactly once with limit %i", async (limit) => {
    const { items, pages } = await listAll(clientFor(userA), limit);
    expect(items).toEqual(expectedOrder(leadsOfA));
    expect(pages).toBe(Math.max(1, Math.ceil(leadsOfA.length / limit)));
  });

  it("rejects a limit out of range", async () => {
    await expect(clientFor(userA).leads.list.query({ limit: 1000 })).rejects.toMatchObject({
      data: { code: "BAD_REQUEST" },
    });
  });

  it("rejects a cursor it did not issue", async () => {
    const forged = Buffer.from(JSON.stringify({ l: null, c: "yesterday", i: "x" })).toString("base64url");
    for (const cursor of ["not-a-cursor", forged]) {
      await expect(clientFor(userA).leads.list.query({ cursor })).rejects.toMatchObject({
        data: { code: "BAD_REQUEST" },
      });
    }
  });

  it("refuses an anonymous caller", async () => {
    await expect(clientFor(null).leads.list.query({})).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });
});
