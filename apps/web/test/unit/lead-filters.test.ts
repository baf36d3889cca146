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
    });
  });

  it("treats missing, blank and unknown values as no filter, rather than an error", () => {
    expect(read("")).toEqual({ search: "", channel: null, status: null });
    expect(read("q=&channel=&status=")).toEqual({ search: "", channel: null, status: null });
    expect(read("channel=fax&status=vip")).toEqual({ search: "", channel: null, status: null });
    expect(hasLeadFilters(read("channel=fax"))).toBe(false);
  });

  it("cuts an overlong search to what the API accepts", () => {
    expect(read(`q=${"a".repeat(500)}`).search).toHaveLength(100);
  });

  it("writes back only the filters that are set", () => {
    expect(leadFiltersQuery({ search: "maya", channel: null, status: "new" }).toString()).toBe("q=maya&status=new");
    expect(leadFiltersQuery(read("")).toString()).toBe("");
    expect(hasLeadFilters(read("status=new"))).toBe(true);
  });
});
