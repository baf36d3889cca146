import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Db } from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAudnixClient } from "../src/client.ts";
import { appRouter, createCaller, createTrpcContext, type RateLimit, type RateLimitTier } from "../src/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

/** A limiter that allows `budget[tier]` calls per user and tier, and records what was spent. */
function countingLimit(budget: Partial<Record<RateLimitTier, number>>) {
  const spent: string[] = [];
  const rateLimit: RateLimit = async (tier, userId) => {
    spent.push(`${tier}:${userId}`);
    const used = spent.filter((entry) => entry === `${tier}:${userId}`).length;
    return used <= (budget[tier] ?? Infinity) ? { allowed: true } : { allowed: false, retryAfterSeconds: 90 };
  };
  return { rateLimit, spent };
}

const callerFor = (userId: string, rateLimit: RateLimit) => createCaller(createTrpcContext({ db: t.db, userId, rateLimit }));

async function refusal(work: Promise<unknown>): Promise<TRPCError> {
  const error = await work.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TRPCError)) throw error;
  return error;
}

describe("per-user rate limits", () => {
  it("spends the caller's API budget on every call and refuses past it, naming the wait", async () => {
    const { rateLimit } = countingLimit({ api: 2 });
    const caller = callerFor(owner, rateLimit);
    await caller.viewer.me();
    await caller.leads.list({});
    const error = await refusal(caller.viewer.me());
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toBe("Too many requests: try again in 90 seconds.");
    // Another owner has a budget of their own.
    await expect(callerFor(stranger, rateLimit).viewer.me()).resolves.toMatchObject({ id: stranger });
  });

  it("spends a costly procedure's own budget as well: preview, verify & connect, simulate", async () => {
    const { rateLimit, spent } = countingLimit({ simulate: 1 });
    const caller = callerFor(owner, rateLimit);
    const { leadId } = await caller.sandbox.simulateInbound({ name: "Maya", text: "Hi!" });
    expect((await refusal(caller.sandbox.simulateInbound({ name: "Maya", text: "Again" }))).code).toBe("TOO_MANY_REQUESTS");
    await caller.followUps.preview({ leadId });
    await caller.connections.connectWhatsapp({ phoneNumberId: "100000000000001", accessToken: "t" }).catch(() => undefined);
    expect(spent.filter((entry) => !entry.startsWith("api:"))).toEqual([
      `simulate:${owner}`,
      `simulate:${owner}`,
      `preview:${owner}`,
      `connect:${owner}`,
    ]);
  });

  it("spends the knowledge budgets: searches on their own, websites and re-index on the sources budget", async () => {
    const { rateLimit, spent } = countingLimit({ knowledgeSearch: 1, knowledgeSources: 1 });
    const caller = callerFor(owner, rateLimit);
    await caller.knowledge.search({ query: "are you open on sundays?" });
    expect((await refusal(caller.knowledge.search({ query: "and on mondays?" }))).code).toBe("TOO_MANY_REQUESTS");
    const { id } = await caller.knowledge.addUrl({ url: "https://shop.example/faq" });
    expect((await refusal(caller.knowledge.reindex({ id }))).code).toBe("TOO_MANY_REQUESTS");
    // Adding pasted text costs no extra budget: nothing is fetched or parsed.
    await caller.knowledge.addDocument({ title: "Hours", text: "Open daily 9-5." });
    expect(spent.filter((entry) => !entry.startsWith("api:"))).toEqual([
      `knowledgeSearch:${owner}`,
      `knowledgeSearch:${owner}`,
      `knowledgeSources:${owner}`,
      `knowledgeSources:${owner}`,
    ]);
  });

  it("leaves anonymous calls to the sign-in check (no user to count against)", async () => {
    const { rateLimit, spent } = countingLimit({});
    const anonymous = createCaller(createTrpcContext({ db: t.db, userId: null, rateLimit }));
    expect((await refusal(anonymous.viewer.me())).code).toBe("UNAUTHORIZED");
    expect(spent).toEqual([]);
  });
});

describe("errors over HTTP", () => {
  let server: Server;
  let url: string;
  let rateLimit: RateLimit;
  let db: Db;

  beforeAll(async () => {
    server = createHTTPServer({ router: appRouter, createContext: () => createTrpcContext({ db, userId: owner, rateLimit }) });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server?.close((error) => (error ? reject(error) : resolve())));
  });

  async function clientError(work: Promise<unknown>) {
    const error = await work.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (thrown: unknown) => thrown,
    );
    if (!(error instanceof TRPCClientError)) throw error;
    return error as TRPCClientError<typeof appRouter>;
  }

  it("answers a refused call with 429 and the wait in seconds", async () => {
    db = t.db;
    rateLimit = async () => ({ allowed: false, retryAfterSeconds: 42 });
    const error = await clientError(createAudnixClient({ url }).viewer.me.query());
    expect(error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", httpStatus: 429, retryAfterSeconds: 42 });
  });

  it("never sends a stack or an internal message, even outside production", async () => {
    rateLimit = async () => ({ allowed: true });
    db = {
      ...t.db,
      asUser: () => Promise.reject(new Error("connect ECONNREFUSED at /srv/app/internal.ts:12 for owner@example.com")),
    };
    const error = await clientError(createAudnixClient({ url }).viewer.me.query());
    expect(error.message).toBe("Internal server error");
    expect(error.data).not.toHaveProperty("stack");
    expect(JSON.stringify(error.data)).not.toMatch(/ECONNREFUSED|internal\.ts|owner@example/);
  });
});
