import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/safe-redirect.ts";

describe("safeRedirect", () => {
  it("keeps same-site paths with their query and hash", () => {
    expect(safeRedirect("/dashboard")).toBe("/dashboard");
    expect(safeRedirect("/leads?page=2#top")).toBe("/leads?page=2#top");
  });

  it.each([
    undefined,
    null,
    "",
    "dashboard",
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
  ])("falls back for %j", (target) => {
    expect(safeRedirect(target)).toBe("/dashboard");
    expect(safeRedirect(target, "/")).toBe("/");
  });
});
