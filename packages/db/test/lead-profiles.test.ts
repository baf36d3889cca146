import { beforeAll, describe, expect, it } from "vitest";
import { loadLeadProfileTarget, saveLeadProfile } from "../src/index.ts";
import { createOwnerAndStranger, useTestDatabase } from "../src/testing/index.ts";

const NOW = new Date("2026-05-01T12:00:00.000Z");
const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db, "growth"));
});

const newLead = (externalId: string, name: string | null = null) =>
  t.db.asSystem(async (tx) => (await tx.lead.create({ data: { userId: owner, channel: "instagram", externalId, name } })).id);

const row = (leadId: string) =>
  t.db.asSystem((tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { name: true, username: true, profileStatus: true, profileFetchedAt: true } }));

describe("saveLeadProfile", () => {
  it("fills an empty name from the profile and records the username and when", async () => {
    const leadId = await newLead("igsid-a");
    const stored = await saveLeadProfile(t.db, { userId: owner, leadId, outcome: { status: "fetched", name: "Peter Chang", username: "peter_chang_live" }, now: NOW });

    expect(stored).toEqual({ name: "Peter Chang", username: "peter_chang_live" });
    expect(await row(leadId)).toEqual({ name: "Peter Chang", username: "peter_chang_live", profileStatus: "fetched", profileFetchedAt: NOW });
  });

  it("never replaces a name the lead already has, and a missing username keeps the old one", async () => {
    const leadId = await newLead("igsid-b", "Pete");
    await saveLeadProfile(t.db, { userId: owner, leadId, outcome: { status: "fetched", name: "Peter Chang", username: "peter_chang_live" }, now: NOW });
    await saveLeadProfile(t.db, { userId: owner, leadId, outcome: { status: "fetched", name: null, username: null }, now: NOW });

    expect(await row(leadId)).toMatchObject({ name: "Pete", username: "peter_chang_live", profileStatus: "fetched" });
  });

  it("records an unavailable or failed profile without touching the name", async () => {
    const leadId = await newLead("igsid-c");
    await saveLeadProfile(t.db, { userId: owner, leadId, outcome: { status: "unavailable" }, now: NOW });
    expect(await row(leadId)).toMatchObject({ name: null, username: null, profileStatus: "unavailable" });
    await saveLeadProfile(t.db, { userId: owner, leadId, outcome: { status: "failed" }, now: NOW });
    expect((await row(leadId)).profileStatus).toBe("failed");
  });

  it("cannot read or write another owner's lead", async () => {
    const leadId = await newLead("igsid-d");
    expect(await loadLeadProfileTarget(t.db, { userId: stranger, leadId })).toBeNull();
    expect(await saveLeadProfile(t.db, { userId: stranger, leadId, outcome: { status: "fetched", name: "Mallory", username: "mallory" }, now: NOW })).toBeNull();
    expect(await row(leadId)).toMatchObject({ name: null, username: null, profileStatus: null });
    expect(await loadLeadProfileTarget(t.db, { userId: owner, leadId })).toEqual({
      channel: "instagram",
      externalId: "igsid-d",
      name: null,
      username: null,
      profileStatus: null,
    });
  });
});
