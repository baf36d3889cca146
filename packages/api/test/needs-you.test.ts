import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

// The "Needs you" queue as the dashboard reads it, and the lead details the owner edits
// (docs/decisions/0027).

const t = useTestDatabase();
let owner: string;
let stranger: string;
const callerFor = (userId: string | null) => createCaller(createTrpcContext({ db: t.db, userId }));
const at = (minute: number) => new Date(Date.UTC(2026, 5, 10, 10, minute));

let waitingLongest: string;
let waitingSince5: string;
let waitingSince9: string;
let calm: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  const create = (externalId: string, lastMinute: number, needsOwner: { minute: number; reason: "unanswered_question" | "send_failed" | "wrote_while_paused" } | null) =>
    t.db.asSystem(async (tx) =>
      (
        await tx.lead.create({
          data: {
            userId: owner,
            externalId,
            name: externalId,
            channel: "sandbox",
            lastMessageAt: at(lastMinute),
            ...(needsOwner ? { needsOwnerAt: at(needsOwner.minute), needsOwnerReason: needsOwner.reason } : {}),
          },
        })
      ).id,
    );
  // The newest message is not the longest wait: the queue orders by waiting time.
  waitingSince9 = await create("lead-c", 50, { minute: 9, reason: "wrote_while_paused" });
  waitingLongest = await create("lead-a", 10, { minute: 1, reason: "unanswered_question" });
  waitingSince5 = await create("lead-b", 40, { minute: 5, reason: "send_failed" });
  calm = await create("lead-d", 59, null);
  await t.db.asSystem((tx) =>
    tx.lead.create({ data: { userId: stranger, externalId: "theirs", channel: "sandbox", needsOwnerAt: at(0), needsOwnerReason: "send_failed" } }),
  );
});

describe("the Needs you queue", () => {
  it("counts the owner's waiting leads only", async () => {
    expect(await callerFor(owner).needsYou.count()).toEqual({ count: 3 });
    expect(await callerFor(stranger).needsYou.count()).toEqual({ count: 1 });
    await expect(callerFor(null).needsYou.count()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("lists only waiting leads, the longest-waiting first, with the reason, across pages", async () => {
    const first = await callerFor(owner).leads.list({ needsYou: true, limit: 2 });
    expect(first.items.map((item) => [item.id, item.needsOwnerReason])).toEqual([
      [waitingLongest, "unanswered_question"],
      [waitingSince5, "send_failed"],
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = await callerFor(owner).leads.list({ needsYou: true, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((item) => item.id)).toEqual([waitingSince9]);
    expect(second.nextCursor).toBeNull();
  });

  it("leaves the full list in its usual order", async () => {
    const all = await callerFor(owner).leads.list({});
    expect(all.items.map((item) => item.id)).toEqual([calm, waitingSince9, waitingSince5, waitingLongest]);
  });
});

describe("the email alert setting", () => {
  it("is off until the owner turns it on, and is the owner's alone", async () => {
    expect(await callerFor(owner).needsYou.emailAlert()).toEqual({ enabled: false });
    expect(await callerFor(owner).needsYou.setEmailAlert({ enabled: true })).toEqual({ enabled: true });
    expect(await callerFor(owner).needsYou.emailAlert()).toEqual({ enabled: true });
    expect(await callerFor(stranger).needsYou.emailAlert()).toEqual({ enabled: false });
    await callerFor(owner).needsYou.setEmailAlert({ enabled: false });
    expect(await callerFor(owner).needsYou.emailAlert()).toEqual({ enabled: false });
  });
});

describe("leads.update", () => {
  const details = { name: "Sam Rivera", email: "Sam@Shop.Example", phone: "+49 151 2345 6789", tags: [" VIP", "vip", "wholesale "], notes: "Prefers mornings." };

  it("saves the details normalized, shows them on the lead, and audits the fields without values", async () => {
    expect(await callerFor(owner).leads.update({ leadId: calm, ...details })).toEqual({ updated: ["name", "email", "phone", "tags", "notes"] });
    const { lead } = await callerFor(owner).leads.byId({ id: calm });
    expect(lead).toMatchObject({ name: "Sam Rivera", email: "sam@shop.example", phone: "+4915123456789", tags: ["VIP", "wholesale"], notes: "Prefers mornings." });
    const audit = await t.db.asUser(owner, (tx) => tx.auditLog.findFirstOrThrow({ where: { action: "lead.updated", target: calm } }));
    expect(audit.data).toEqual({ fields: ["name", "email", "phone", "tags", "notes"] });
    expect(await callerFor(owner).leads.update({ leadId: calm, ...details })).toEqual({ updated: [] });
  });

  it("clears a field sent empty", async () => {
    await callerFor(owner).leads.update({ leadId: calm, ...details, phone: "", notes: "" });
    expect((await callerFor(owner).leads.byId({ id: calm })).lead).toMatchObject({ phone: null, notes: null });
  });

  it("refuses bad input with the field's problem and changes nothing", async () => {
    await expect(callerFor(owner).leads.update({ leadId: calm, ...details, email: "sam@" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(owner).leads.update({ leadId: calm, ...details, phone: "12" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(owner).leads.update({ leadId: calm, ...details, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(callerFor(owner).leads.update({ leadId: calm, ...details, notes: "x".repeat(5_001) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await callerFor(owner).leads.byId({ id: calm })).lead.email).toBe("sam@shop.example");
  });

  it("is not another owner's to change", async () => {
    await expect(callerFor(stranger).leads.update({ leadId: calm, ...details, name: "Taken over" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(null).leads.update({ leadId: calm, ...details })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await callerFor(owner).leads.byId({ id: calm })).lead.name).toBe("Sam Rivera");
  });
});
