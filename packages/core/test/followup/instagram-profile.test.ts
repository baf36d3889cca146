import { describe, expect, it } from "vitest";
import { firstNameOf } from "../../src/followup/first-name.ts";
import { leadDisplayName, profileWantedBeforeReply, storableInstagramProfile } from "../../src/followup/instagram-profile.ts";

describe("storableInstagramProfile", () => {
  it("keeps a real name and username, and the greeting reads the first name from it", () => {
    const profile = storableInstagramProfile({ name: "  Peter Chang ", username: "peter_chang_live" });
    expect(profile).toEqual({ name: "Peter Chang", username: "peter_chang_live" });
    expect(firstNameOf(profile)).toBe("Peter");
  });

  it("drops a blank name and anything that is not an Instagram username", () => {
    expect(storableInstagramProfile({ name: "   ", username: null })).toEqual({ name: null, username: null });
    expect(storableInstagramProfile({ name: null, username: "has space" }).username).toBeNull();
    expect(storableInstagramProfile({ username: "a".repeat(31) }).username).toBeNull();
    expect(storableInstagramProfile({ username: "<script>" }).username).toBeNull();
  });

  it("makes the name storable and caps it", () => {
    const { name } = storableInstagramProfile({ name: `Ana\u0000 ${"x".repeat(10_000)}` });
    expect(name?.startsWith("Ana ")).toBe(true);
    expect(name?.length).toBeLessThanOrEqual(256);
  });
});

describe("leadDisplayName", () => {
  it("shows the name, else @username, else nothing", () => {
    expect(leadDisplayName({ name: "Peter Chang", username: "peter_chang_live" })).toBe("Peter Chang");
    expect(leadDisplayName({ name: " ", username: "peter_chang_live" })).toBe("@peter_chang_live");
    expect(leadDisplayName({ name: null, username: null })).toBeNull();
  });
});

describe("profileWantedBeforeReply", () => {
  const base = { channel: "instagram", name: null, profileStatus: null, isFirstOutbound: true } as const;

  it("asks only for a nameless Instagram lead's first reply, once", () => {
    expect(profileWantedBeforeReply(base)).toBe(true);
    expect(profileWantedBeforeReply({ ...base, channel: "whatsapp" })).toBe(false);
    expect(profileWantedBeforeReply({ ...base, name: "Sam" })).toBe(false);
    expect(profileWantedBeforeReply({ ...base, isFirstOutbound: false })).toBe(false);
    expect(profileWantedBeforeReply({ ...base, profileStatus: "unavailable" })).toBe(false);
    expect(profileWantedBeforeReply({ ...base, profileStatus: "failed" })).toBe(false);
  });
});
