import { describe, expect, it } from "vitest";
import { leadDetailsSchema, normalizeTags, splitTagList, LEAD_TAGS_TEXT_MAX_CHARS } from "../../src/needs-you/lead-details.ts";
import { needsYouAlertEmail } from "../../src/needs-you/alert-email.ts";

const valid = { name: " Sam Rivera ", email: " Sam@Shop.Example ", phone: "+49 151 2345 6789", tags: ["vip"], notes: " Prefers mornings. " };

describe("leadDetailsSchema", () => {
  it("trims, lower-cases the email and writes the phone in E.164", () => {
    expect(leadDetailsSchema.parse(valid)).toEqual({
      name: "Sam Rivera",
      email: "sam@shop.example",
      phone: "+4915123456789",
      tags: ["vip"],
      notes: "Prefers mornings.",
    });
  });

  it("clears a field left empty", () => {
    expect(leadDetailsSchema.parse({ name: "", email: " ", phone: "", tags: [], notes: "  " })).toEqual({
      name: null,
      email: null,
      phone: null,
      tags: [],
      notes: null,
    });
  });

  it("names the field and the problem for bad input", () => {
    const result = leadDetailsSchema.safeParse({ ...valid, email: "sam@", phone: "0151 2345", notes: "x".repeat(5_001) });
    expect(result.success).toBe(false);
    const issues = Object.fromEntries((result.error?.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]));
    expect(issues.email).toMatch(/email address/);
    expect(issues.phone).toMatch(/country code/);
    expect(issues.notes).toBe("At most 5,000 characters.");
  });

  it("refuses more than 20 tags and tags over 40 characters", () => {
    const many = Array.from({ length: 21 }, (_, index) => `tag ${index}`);
    expect(leadDetailsSchema.safeParse({ ...valid, tags: many }).success).toBe(false);
    expect(leadDetailsSchema.safeParse({ ...valid, tags: ["x".repeat(41)] }).success).toBe(false);
    expect(leadDetailsSchema.safeParse({ ...valid, tags: ["x".repeat(40)] }).success).toBe(true);
  });
});

describe("tags", () => {
  it("are trimmed and deduped whatever their letter case, first spelling kept", () => {
    expect(normalizeTags([" VIP ", "vip", "whole   sale", "", "Whole sale"])).toEqual(["VIP", "whole sale"]);
  });

  it("are split at commas, and a list longer than any valid one is not read", () => {
    expect(splitTagList("vip, wholesale")).toEqual(["vip", " wholesale"]);
    expect(splitTagList("x".repeat(LEAD_TAGS_TEXT_MAX_CHARS + 1))).toBeNull();
  });
});

describe("needsYouAlertEmail", () => {
  it("names each lead with its reason and link, never what the lead wrote", () => {
    const email = needsYouAlertEmail({
      appUrl: "https://app.example/",
      leads: [
        { id: "l1", name: "Sam", reason: "unanswered_question" },
        { id: "l2", name: null, reason: "wrote_while_paused" },
      ],
    });
    expect(email.subject).toBe("2 leads need you");
    expect(email.text).toContain("- Sam asked something the AI couldn't answer: https://app.example/dashboard/leads/l1");
    expect(email.text).toContain("- A lead wrote while the AI is paused for them: https://app.example/dashboard/leads/l2");
  });

  it("counts the leads past the twentieth instead of naming them", () => {
    const leads = Array.from({ length: 23 }, (_, index) => ({ id: `l${index}`, name: `Lead ${index}`, reason: "send_failed" as const }));
    const email = needsYouAlertEmail({ appUrl: "https://app.example", leads });
    expect(email.text).toContain("- and 3 more: https://app.example/dashboard?needsYou=1");
    expect(email.text).not.toContain("Lead 20");
  });
});
