import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

const callerFor = (userId: string | null) => createCaller(createTrpcContext({ db: t.db, userId, now: () => NOW }));

describe("sandbox.simulateInbound", () => {
  it("captures a simulated message as a lead the owner sees in the list, with its message", async () => {
    const caller = callerFor(owner);
    const result = await caller.sandbox.simulateInbound({ name: "Maya Ortiz", text: "Hi! Is the course still open?" });
    expect(result.leadCreated).toBe(true);

    const list = await caller.leads.list({});
    expect(list.items).toEqual([
      expect.objectContaining({ id: result.leadId, name: "Maya Ortiz", channel: "sandbox", status: "new", lastMessageAt: NOW }),
    ]);
    const { messages } = await caller.leads.byId({ id: result.leadId });
    expect(messages.map((m) => [m.direction, m.body])).toEqual([["inbound", "Hi! Is the course still open?"]]);
    expect((await caller.viewer.me()).leadsUsed).toBe(1);

    expect((await callerFor(stranger).leads.list({})).items).toEqual([]);
  });

  it("keeps one conversation per sender name", async () => {
    const caller = callerFor(owner);
    const first = await caller.sandbox.simulateInbound({ name: "Jonas", text: "Hello" });
    const second = await caller.sandbox.simulateInbound({ name: "  jonas ", text: "Anyone there?" });
    expect(second).toEqual({ leadId: first.leadId, leadCreated: false });
    const { messages } = await caller.leads.byId({ id: first.leadId });
    expect(messages.map((m) => m.body)).toEqual(["Hello", "Anyone there?"]);
  });

  it("refuses blank input and anonymous callers without writing anything", async () => {
    const before = await t.db.asSystem((tx) => tx.message.count());
    await expect(callerFor(owner).sandbox.simulateInbound({ name: " ", text: "Hi" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(callerFor(owner).sandbox.simulateInbound({ name: "Ada", text: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(callerFor(null).sandbox.simulateInbound({ name: "Ada", text: "Hi" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(await t.db.asSystem((tx) => tx.message.count())).toBe(before);
  });
});
