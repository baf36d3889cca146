import { randomUUID } from "node:crypto";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext, type RouterInputs } from "../src/index.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

const t = useTestDatabase();
let owner: string;
let stranger: string;
const leadIds: Record<string, string> = {};

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db, "growth"));
  const leads = [
    { key: "maya", name: "Maya Ortiz", channel: "instagram", status: "new", externalId: "igsid-1001", lastMessageAt: minutes(-5) },
    {
      key: "jonas",
      name: "Jonas Weber",
      channel: "whatsapp",
      status: "replied",
      externalId: "4915112345678",
      phone: "4915112345678",
      lastMessageAt: minutes(-10),
    },
    {
      key: "grace",
      name: null,
      channel: "email",
      status: "contacted",
      externalId: "grace@example.com",
      email: "Grace@Example.com",
      lastMessageAt: minutes(-20),
    },
    { key: "percent", name: "100% Vegan Bakery", channel: "sandbox", status: "new", externalId: "sandbox:bakery", lastMessageAt: null },
  ] as const;
  await t.db.asSystem(async (tx) => {
    for (const { key, ...lead } of leads) {
      const created = await tx.lead.create({ data: { userId: owner, ...lead } });
      leadIds[key] = created.id;
    }
    const theirs = await tx.lead.create({
      data: { userId: stranger, name: "Maya Stranger", channel: "instagram", externalId: "igsid-9999" },
    });
    leadIds.strangers = theirs.id;
  });
});

const callerFor = (userId: string | null) => createCaller(createTrpcContext({ db: t.db, userId, now: () => NOW }));

async function names(input: RouterInputs["leads"]["list"]): Promise<(string | null)[]> {
  const page = await callerFor(owner).leads.list(input);
  return page.items.map((lead) => lead.name);
}

describe("leads.list filters", () => {
  it("finds leads by name, email, phone or platform id, ignoring case, and only the caller's", async () => {
    expect(await names({ search: "maya" })).toEqual(["Maya Ortiz"]);
    expect(await names({ search: "GRACE@example" })).toEqual([null]);
    expect(await names({ search: "IGSID-1001" })).toEqual(["Maya Ortiz"]);
    expect(await names({ search: "5112345" })).toEqual(["Jonas Weber"]);
  });

  it("finds a phone number typed the way people write it", async () => {
    expect(await names({ search: "+49 151 1234" })).toEqual(["Jonas Weber"]);
  });

  it("treats % and _ in a search as plain characters", async () => {
    expect(await names({ search: "% vegan" })).toEqual(["100% Vegan Bakery"]);
    expect(await names({ search: "%" })).toEqual(["100% Vegan Bakery"]);
    expect(await names({ search: "_" })).toEqual([]);
    expect(await names({ search: "\\" })).toEqual([]);
  });

  it("ignores a blank search", async () => {
    expect(await names({ search: "   " })).toHaveLength(4);
  });

  it("filters by channel and status, alone and together with a search", async () => {
    expect(await names({ channel: "whatsapp" })).toEqual(["Jonas Weber"]);
    expect(await names({ status: "new" })).toEqual(["Maya Ortiz", "100% Vegan Bakery"]);
    expect(await names({ status: "new", channel: "instagram" })).toEqual(["Maya Ortiz"]);
    expect(await names({ status: "replied", channel: "instagram" })).toEqual([]);
    expect(await names({ status: "new", search: "bakery" })).toEqual(["100% Vegan Bakery"]);
  });

  it("pages through a filtered list, newest activity first, each lead once", async () => {
    const seen: (string | null)[] = [];
    let cursor: string | undefined;
    do {
      const page = await callerFor(owner).leads.list({ search: "a", limit: 1, cursor });
      seen.push(...page.items.map((lead) => lead.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(["Maya Ortiz", "Jonas Weber", null, "100% Vegan Bakery"]);
  });

  it("rejects an unknown channel or status", async () => {
    const caller = callerFor(owner);
    // @ts-expect-error an invalid channel, as an untyped client could send it
    await expect(caller.leads.list({ channel: "fax" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // @ts-expect-error an invalid status
    await expect(caller.leads.list({ status: "vip" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("leads.byId", () => {
  beforeAll(async () => {
    const leadId = leadIds.maya ?? "";
    await t.db.asSystem(async (tx) => {
      // The engine's secret: never part of the lead page.
      await tx.leadFact.create({ data: { userId: owner, leadId, key: "unsubscribe_token", value: "secret-token" } });
      // Written out of order: the timeline must still read oldest to newest.
      await tx.message.create({
        data: { userId: owner, leadId, channel: "instagram", direction: "outbound", author: "ai", body: "Hi Maya! It is 49 EUR.", sentAt: minutes(-6) },
      });
      await tx.message.create({
        data: {
          userId: owner,
          leadId,
          channel: "instagram",
          direction: "inbound",
          author: "lead",
          body: "",
          sentAt: minutes(-5),
          attachments: [{ type: "image", url: "https://cdn.example/photo.jpg", mimeType: null, fileName: null }, { nonsense: true }],
        },
      });
      await tx.message.create({
        data: { userId: owner, leadId, channel: "instagram", direction: "inbound", author: "lead", body: "How much is it?", sentAt: minutes(-7) },
      });
    });
  });

  it("returns the lead (without the engine's own facts) and the conversation in time order", async () => {
    const { lead, messages, earlierMessagesHidden } = await callerFor(owner).leads.byId({ id: leadIds.maya ?? "" });
    expect(lead).toMatchObject({ name: "Maya Ortiz", channel: "instagram", externalId: "igsid-1001" });
    expect(JSON.stringify(lead)).not.toContain("secret-token");
    expect(messages.map((m) => [m.direction, m.body])).toEqual([
      ["inbound", "How much is it?"],
      ["outbound", "Hi Maya! It is 49 EUR."],
      ["inbound", ""],
    ]);
    expect(messages[2]?.attachments).toEqual([
      { type: "image", url: "https://cdn.example/photo.jpg", mimeType: null, fileName: null },
    ]);
    expect(earlierMessagesHidden).toBe(false);
  });

  it("answers NOT_FOUND for another user's lead and for an unknown id", async () => {
    const caller = callerFor(owner);
    await expect(caller.leads.byId({ id: leadIds.strangers ?? "" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(caller.leads.byId({ id: randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerFor(stranger).leads.byId({ id: leadIds.maya ?? "" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rejects an id that is not a uuid and an anonymous caller", async () => {
    await expect(callerFor(owner).leads.byId({ id: "1 OR 1=1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(null).leads.byId({ id: leadIds.maya ?? "" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
