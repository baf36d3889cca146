import { describe, expect, it } from "vitest";
import { GenerationError, type TextGenerator } from "../../src/followup/ports.ts";
import { bestStep, topQuestions } from "../../src/summary/highlights.ts";
import type { SummaryContent } from "../../src/summary/summary-content.ts";
import { summaryContentSchema } from "../../src/summary/summary-content.ts";
import { summaryEmail } from "../../src/summary/summary-email.ts";
import { changeLines, checkNarrative, summaryFacts, templateNarrative, writeNarrative } from "../../src/summary/summary-text.ts";

const pair = (current: number, previous: number) => ({ current, previous });
const content: Omit<SummaryContent, "narrative"> = {
  version: 1,
  brandName: "Sunny Yoga",
  period: { from: "2026-11-23", to: "2026-11-29", timeZone: "Europe/Berlin" },
  numbers: {
    newLeads: pair(12, 8),
    messagesIn: pair(40, 40),
    aiMessages: pair(30, 20),
    conversions: pair(2, 3),
    optOuts: pair(1, 0),
    replyRate: pair(0.4, 0.25),
    conversionRate: pair(2 / 12, 3 / 8),
    conversionValues: [{ currency: "EUR", current: 12_000, previous: 0 }],
    waitingForOwner: 3,
  },
  topQuestions: [{ example: "How much is a class?", count: 4 }],
  leadsNeedingOwner: { total: 3, leads: [{ leadId: "7d4f3f0e-6f2b-4b53-9a59-0a3f1c2b9d10", name: "Maya" }] },
  bestStep: { step: 2, sent: 10, answered: 6, rate: 0.6 },
};
const labels = { period: "last week", previous: "the week before" };

describe("templateNarrative", () => {
  it("says the week's numbers in plain sentences", () => {
    expect(templateNarrative(content, "last week")).toBe(
      "12 new leads wrote to Sunny Yoga last week (8 before). The AI sent 30 messages and leads answered 40% of them. 2 leads converted. 3 leads are waiting for you.",
    );
  });

  it("says so when nothing happened", () => {
    const quiet = { ...content, brandName: null, numbers: { ...content.numbers, newLeads: pair(1, 0), aiMessages: pair(0, 0), replyRate: { current: null, previous: null }, conversions: pair(0, 0), waitingForOwner: 0 } };
    expect(templateNarrative(quiet, "last week")).toBe("1 new lead wrote to you last week (0 before). The AI sent no messages. No lead converted.");
  });
});

describe("checkNarrative", () => {
  const facts = summaryFacts(content, labels.previous);

  it("keeps a narrative whose numbers all appear in the facts", () => {
    expect(checkNarrative("You got 12 new leads, up from 8, and 40% answered the AI.", facts)).toBe("You got 12 new leads, up from 8, and 40% answered the AI.");
  });

  it("refuses a narrative with a number of its own (a sum, a made-up figure) or no text", () => {
    expect(checkNarrative("You got 13 new leads in two weeks.", facts)).toBeNull();
    expect(checkNarrative("Revenue hit 1,000,000.", facts)).toBeNull();
    expect(checkNarrative("   ", facts)).toBeNull();
    expect(checkNarrative("x".repeat(601), facts)).toBeNull();
  });
});

describe("writeNarrative", () => {
  const generator = (answer: string | Error): TextGenerator => ({
    generate: async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });

  it("uses the model's narrative when it passes the check, the template otherwise", async () => {
    expect(await writeNarrative(content, labels, generator("A strong week: 12 new leads and 2 conversions."))).toEqual({
      text: "A strong week: 12 new leads and 2 conversions.",
      writtenBy: "model",
    });
    expect(await writeNarrative(content, labels, generator("A strong week: 15 new leads."))).toMatchObject({ writtenBy: "template" });
    expect(await writeNarrative(content, labels, generator(new GenerationError("rate limited", true)))).toMatchObject({ writtenBy: "template" });
    expect(await writeNarrative(content, labels, null)).toEqual({ text: templateNarrative(content, "last week"), writtenBy: "template" });
  });
});

describe("highlights", () => {
  it("groups the same question however it is written, most asked first, and skips statements", () => {
    expect(
      topQuestions([
        "Do you have parking?",
        "How much is a class?",
        "how much is a CLASS",
        "Thanks, see you Thursday.",
        "Is a class how much?",
        "do you have parking?",
      ]),
    ).toEqual([
      { example: "How much is a class?", count: 3 },
      { example: "Do you have parking?", count: 2 },
    ]);
  });

  it("reads long messages only to their cap", () => {
    expect(topQuestions([`${"a ".repeat(100_000)}?`])).toHaveLength(0);
  });

  it("picks the step leads answered most, among steps with enough messages", () => {
    expect(bestStep([{ step: 0, sent: 10, answered: 3 }, { step: 1, sent: 2, answered: 2 }, { step: 2, sent: 5, answered: 3 }])).toEqual({ step: 2, sent: 5, answered: 3, rate: 0.6 });
    expect(bestStep([{ step: 1, sent: 2, answered: 2 }])).toBeNull();
  });

  it("lists only the figures that moved, biggest first", () => {
    expect(changeLines(content.numbers)).toEqual(["Messages the AI sent up by 10", "New leads up by 4", "Conversions down by 1", "Opt-outs up by 1"]);
  });
});

describe("summaryEmail", () => {
  it("carries the narrative, the numbers, the changes, the highlights and where to turn it off", () => {
    const full = summaryContentSchema.parse({ ...content, narrative: { text: templateNarrative(content, "last week"), writtenBy: "template" } });
    const email = summaryEmail({
      kind: "weekly",
      content: full,
      dayCount: 7,
      to: "owner@sunnyyoga.example",
      idempotencyKey: "summary:1",
      summaryUrl: "https://app.audnix.example/dashboard/summaries/1",
      settingsUrl: "https://app.audnix.example/dashboard/summaries",
    });
    expect(email.subject).toBe("Your week at Sunny Yoga: 12 new leads");
    expect(email.text).toContain("The numbers (2026-11-23 to 2026-11-29)\n- New leads: 12 (8 the week before)");
    expect(email.text).toContain("- Conversion value: €120.00 (€0.00 the week before)");
    expect(email.text).toContain("What changed since the week before\n- Messages the AI sent up by 10");
    expect(email.text).toContain('- Asked 4 times: "How much is a class?"');
    expect(email.text).toContain("- 3 leads need you: Maya");
    expect(email.text).toContain("- Best step: follow-up 2, answered 6 of 10 times (60%)");
    expect(email.text).toContain("Turn weekly summaries off: https://app.audnix.example/dashboard/summaries");
    expect(email.html).toContain("<li>Asked 4 times: &#34;How much is a class?&#34;</li>");
  });
});
