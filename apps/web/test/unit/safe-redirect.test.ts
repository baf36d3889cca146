import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/safe-redirect.ts";

const SITE = "https://app.audnix.example";

/** Where a browser on SITE goes when it follows `location` (a Location header's value). */
const followedFrom = (location: string) => new URL(location, SITE);

describe("safeRedirect", () => {
  it("keeps same-site paths with their query and hash", () => {
    expect(safeRedirect("/dashboard")).toBe("/dashboard");
    expect(safeRedirect("/leads?page=2#top")).toBe("/leads?page=2#top");
    expect(safeRedirect("/dashboard/./leads/../billing")).toBe("/dashboard/billing");
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
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\t\\evil.example",
    "javascript:alert(1)",
    // Dot segments collapse while the URL is parsed, leaving a protocol-relative "//host".
    "/.//evil.example",
    "/./\\evil.example",
    "/a/..//evil.example",
    "/..//evil.example",
    "/x/../\\\\evil.example",
    "/dashboard\\..\\..\\/evil.example",
    // Browsers strip tabs and newlines anywhere in a URL, not only up front.
    "/dash\tboard",
    "/dash\u0000board",
  ])("falls back for %j", (target) => {
    expect(safeRedirect(target)).toBe("/dashboard");
    expect(safeRedirect(target, "/")).toBe("/");
  });

  it("falls back for a target longer than any link of ours", () => {
    expect(safeRedirect(`/${"a".repeat(5_000)}`)).toBe("/dashboard");
  });

  it.each(["/%2f%2fevil.example", "/%2F%2Fevil.example", "/%5C%5Cevil.example", "/.%2F/evil.example", "/%09/evil.example"])(
    "keeps %j on this site (percent-encoded slashes stay inside the path)",
    (target) => {
      const location = safeRedirect(target);
      expect(location.startsWith("//")).toBe(false);
      expect(followedFrom(location).origin).toBe(SITE);
    },
  );
});
