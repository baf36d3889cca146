import { describe, expect, it } from "vitest";
import { hasLeadFilters, leadFiltersQuery } from "../../app/leads/lead-filters.ts";
import { readLeadFilters } from "../../app/leads/read-lead-filters.server.ts";

const read = (query: string) => readLeadFilters(new URLSearchParams(query));

describe("lead filters in the URL", () => {
  it("reads search, channel and status", () => {
    expect(read("q=%20maya%20&channel=instagram&status=replied")).toEqual({
      search: "maya",
      channel: "instagram",
      status: "replied",
      needsYou: false,
      activity: null,
    });
  });

  it("treats missing, blank and unknown values as no filter, rather than an error", () => {
    expect(read("")).toEqual({ search: "", channel: null, status: null, needsYou: false, activity: null });
    expect(read("q=&channel=&status=")).toEqual({ search: "", channel: null, status: null, needsYou: false, activity: null });
    expect(read("channel=fax&status=vip")).toEqual({ search: "", channel: null, status: null, needsYou: false, activity: null });
    expect(hasLeadFilters(read("channel=fax"))).toBe(false);
  });

  it("reads the Needs you filter only as needsYou=1, and writes it back", () => {
    expect(read("needsYou=1").needsYou).toBe(true);
    expect(read("needsYou=yes").needsYou).toBe(false);
    expect(hasLeadFilters(read("needsYou=1"))).toBe(true);
    expect(leadFiltersQuery(read("needsYou=1&status=lost")).toString()).toBe("status=lost&needsYou=1");
  });

  it("cuts an overlong search to what the API accepts", () => {
    expect(read(`q=${"a".repeat(500)}`).search).toHaveLength(100);
  });

  it("writes back only the filters that are set", () => {
    expect(leadFiltersQuery({ search: "maya", channel: null, status: "new", needsYou: false, activity: null }).toString()).toBe("q=maya&status=new");
    expect(leadFiltersQuery(read("")).toString()).toBe("");
    expect(hasLeadFilters(read("status=new"))).toBe(true);
  });

  it("reads a dashboard tile's drill-down (what happened, first and last day) and writes it back", () => {
    const filters = read("activity=converted&from=2026-03-01&to=2026-03-30");
    expect(filters.activity).toEqual({ kind: "converted", from: "2026-03-01", to: "2026-03-30" });
    expect(hasLeadFilters(filters)).toBe(true);
    expect(leadFiltersQuery(filters).toString()).toBe("activity=converted&from=2026-03-01&to=2026-03-30");
  });

  it("drops a drill-down with an unknown kind, a missing day or an impossible date", () => {
    expect(read("activity=bought&from=2026-03-01&to=2026-03-30").activity).toBeNull();
    expect(read("activity=converted&from=2026-03-01").activity).toBeNull();
    expect(read("activity=converted&from=2026-02-30&to=2026-03-30").activity).toBeNull();
  });
});
