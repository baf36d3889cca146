import { summaryNowJobKey } from "@audnix/core";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext, RateLimitedError, type RateLimitTier } from "../src/index.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

// Wednesday 2 December 2026, 10:00 UTC: this week started on Monday 30 November.
const NOW = new Date("2026-12-02T10:00:00Z");
const spent: RateLimitTier[] = [];
const callerFor = (userId: string) =>
  createCaller(
    createTrpcContext({
      db: t.db,
      userId,
      now: () => NOW,
      rateLimit: async (tier) => {
        spent.push(tier);
        return { allowed: true };
      },
    }),
  );

/** The summary:now jobs queued, by their keys (graphile-worker's public view). */
async function summaryJobKeys(): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ key: string }>("SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'summary:now' ORDER BY id");
  return rows.map((row) => row.key);
}

describe("summaries router", () => {
  it("queues this week's summary so far once per press, refuses a press while one is on its way, and spends the summaryNow budget", async () => {
    const api = callerFor(owner);
    const first = await api.summaries.sendNow();
    expect(spent).toContain("summaryNow");
    expect(await summaryJobKeys()).toEqual([summaryNowJobKey(first.id, 1)]);
    const again = api.summaries.sendNow();
    await expect(again).rejects.toThrow("This week's summary is already being made and emailed.");
    await expect(again).rejects.toMatchObject({ code: "CONFLICT" });

    const { summaries } = await api.summaries.list();
    expect(summaries).toEqual([expect.objectContaining({ id: first.id, kind: "week_to_date", weekStart: "2026-11-30", status: "pending", content: null })]);
    expect(summaries[0]).not.toHaveProperty("emailMessageId");
  });

  it("hides an owner's summary from everyone else", async () => {
    const { summaries } = await callerFor(owner).summaries.list();
    const id = summaries[0]!.id;
    await expect(callerFor(stranger).summaries.byId({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await callerFor(stranger).summaries.list()).summaries).toEqual([]);
    expect((await callerFor(owner).summaries.byId({ id })).id).toBe(id);
  });

  it("turns the Monday summary off and on (on by default)", async () => {
    const api = callerFor(stranger);
    expect((await api.summaries.list()).weeklySummaryEnabled).toBe(true);
    await api.summaries.setWeekly({ enabled: false });
    expect((await api.summaries.list()).weeklySummaryEnabled).toBe(false);
    await api.summaries.setWeekly({ enabled: true });
    expect((await api.summaries.list()).weeklySummaryEnabled).toBe(true);
  });

  it("refuses a press over the budget with the rate-limit error", async () => {
    const limited = createCaller(
      createTrpcContext({ db: t.db, userId: stranger, now: () => NOW, rateLimit: async (tier) => (tier === "summaryNow" ? { allowed: false, retryAfterSeconds: 600 } : { allowed: true }) }),
    );
    const refused = await limited.summaries.sendNow().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).cause).toBeInstanceOf(RateLimitedError);
    expect(await summaryJobKeys()).toHaveLength(1);
  });
});
