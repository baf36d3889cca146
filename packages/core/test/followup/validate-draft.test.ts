import { describe, expect, it } from "vitest";
import { validateDraft, type DraftRules } from "../../src/followup/validate-draft.ts";

const rules: DraftRules = {
  channel: "instagram",
  firstName: "Maria",
  isFirstOutbound: true,
  allowedLinks: ["https://lumen.example/course"],
  allowedPrices: ["$149"],
};

function problemsOf(text: string, overrides: Partial<DraftRules> = {}): string[] {
  const result = validateDraft(text, { ...rules, ...overrides });
  return result.ok ? [] : result.problems;
}

describe("validateDraft", () => {
  it("accepts a good draft and tidies it", () => {
    expect(validateDraft('  "Hi Maria! The course is $149, sign up at lumen.example/course."\r\n\r\n\r\n ', rules)).toEqual({
      ok: true,
      text: "Hi Maria! The course is $149, sign up at lumen.example/course.",
    });
  });

  it("rejects an empty draft", () => {
    expect(problemsOf("   \n ")).toEqual(["The message is empty."]);
  });

  it("enforces the channel's length limit", () => {
    const long = `Hi Maria! ${"word ".repeat(120)}`;
    expect(problemsOf(long)).toEqual([expect.stringContaining("the limit on instagram is 500")]);
    expect(problemsOf(long, { channel: "email" })).toEqual([]);
  });

  it("catches every kind of template leftover", () => {
    for (const leftover of ["[Name]", "{first_name}", "{{ lead.name }}", "<placeholder>", "INSERT LINK", "insert your link here"]) {
      expect(problemsOf(`Hi Maria! Great to hear from you ${leftover}.`), leftover).toEqual([
        expect.stringContaining("template placeholder"),
      ]);
    }
  });

  it("catches the model talking about itself", () => {
    expect(problemsOf("Hi Maria! As an AI language model, I can't promise results.")).toEqual([
      expect.stringContaining("language model"),
    ]);
  });

  it("rejects links and prices that are not in the knowledge or conversation", () => {
    expect(problemsOf("Hi Maria! Book here: https://evil.example/pay")).toEqual([expect.stringContaining("https://evil.example/pay")]);
    expect(problemsOf("Hi Maria! It's only €99 this week.")).toEqual([expect.stringContaining("€99")]);
    expect(problemsOf("Hi Maria! It's 149 USD, see https://lumen.example/course/")).toEqual([]);
    expect(problemsOf("Hi Maria! Write to hello@lumen.example anytime.")).toEqual([]);
  });

  it("requires the first name at the start of the first message", () => {
    expect(problemsOf("Hello there! The course starts Monday.")).toEqual([expect.stringContaining("first name (Maria)")]);
    expect(problemsOf("Hello there! The course starts Monday.", { isFirstOutbound: false })).toEqual([]);
    expect(problemsOf("Hello there! The course starts Monday.", { firstName: null })).toEqual([]);
    expect(problemsOf("¡Hola MARÍA! El curso empieza el lunes.", { firstName: "María" })).toEqual([]);
  });

  it("requires the disclosure line when one is set", () => {
    const line = "(Automated reply from Lumen Yoga's assistant)";
    expect(problemsOf("Hi Maria! See you Monday.", { disclosureLine: line })).toEqual([expect.stringContaining(line)]);
    expect(problemsOf(`Hi Maria! See you Monday.\n\n${line}`, { disclosureLine: line })).toEqual([]);
  });

  it("refuses a subject line inside an email body", () => {
    expect(problemsOf("Subject: Your course\n\nHi Maria, see you Monday.", { channel: "email" })).toEqual([
      expect.stringContaining("subject line"),
    ]);
  });

  it("keeps voice scripts under 20 seconds", () => {
    expect(problemsOf(`Hi Maria ${"and ".repeat(60)}`, { voice: true })).toEqual([expect.stringContaining("voice note")]);
  });

  it("allows the sandbox label", () => {
    expect(problemsOf("[Sandbox AI] Hi Maria! Thanks for reaching out.")).toEqual([]);
  });
});
