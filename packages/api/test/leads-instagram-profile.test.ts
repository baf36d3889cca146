import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller, createTrpcContext } from "../src/index.ts";

// How the dashboard names Instagram leads whose profile gave a username (docs/decisions/0023).

const NOW = new Date("2026-05-01T12:00:00.000Z");
const t = useTestDatabase();
let owner: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ owner } = await createOwnerAndStranger(t.db, "growth"));
  const leads = [
    { key: "named", name: "Peter Chang", username: "peter_chang_live", profileStatus: "fetched", externalId: "igsid-1" },
    { key: "handleOnly", name: null, username: "quiet.one", profileStatus: "fetched", externalId: "igsid-2" },
    { key: "unavailable", name: null, username: null, profileStatus: "unavailable", externalId: "igsid-3" },
  ] as const;
  await t.db.asSystem(async (tx) => {
    for (const [index, { key, ...lead }] of leads.entries()) {
      const created = await tx.lead.create({
        data: { userId: owner, channel: "instagram", lastMessageAt: new Date(NOW.getTime() - index * 60_000), ...lead },
      });
      ids[key] = created.id;
    }
  });
});

const caller = () => createCaller(createTrpcContext({ db: t.db, userId: owner, now: () => NOW }));

describe("Instagram usernames on the dashboard", () => {
  it("the lead list names a lead by name, else @username, else nothing", async () => {
    const { items } = await caller().leads.list({});
    expect(items.map((lead) => lead.displayName)).toEqual(["Peter Chang", "@quiet.one", null]);
  });

  it("finds a lead by username, typed with or without the @", async () => {
    for (const search of ["quiet.one", "@QUIET"]) {
      const { items } = await caller().leads.list({ search });
      expect(items.map((lead) => lead.id)).toEqual([ids.handleOnly]);
    }
  });

  it("the lead page gets the display name, the username and what became of the profile", async () => {
    expect((await caller().leads.byId({ id: ids.handleOnly ?? "" })).lead).toMatchObject({
      displayName: "@quiet.one",
      username: "quiet.one",
      profileStatus: "fetched",
    });
    expect((await caller().leads.byId({ id: ids.unavailable ?? "" })).lead).toMatchObject({ displayName: null, profileStatus: "unavailable" });
  });
});
