import { describe, expect, it } from "vitest";
import { MESSAGE_TEXT_LIMIT } from "../../src/capture/check-event.ts";
import { stripQuotedHistory } from "../../src/capture/email-text.ts";
import { MAX_MESSAGE_CHARS } from "../../src/followup/defaults.ts";
import { allowedMentions, extractLinks, extractPrices, SOURCE_TEXT_CHARS } from "../../src/followup/draft-rules.ts";
import { firstNameOf } from "../../src/followup/first-name.ts";
import { guessLanguage } from "../../src/followup/language.ts";
import { matchesOptOutKeyword, parseOptOutVerdict } from "../../src/followup/opt-out.ts";
import { parseStepDurations } from "../../src/followup/step-durations.ts";
import { MATCHING_TEXT_MAX_CHARS } from "../../src/followup/text-normalize.ts";
import { isValidTimeZone } from "../../src/followup/time-zone.ts";
import { DRAFT_READ_FACTOR, validateDraft } from "../../src/followup/validate-draft.ts";
import { estimateSpeechSeconds } from "../../src/followup/voice.ts";
import { adversarialTexts } from "../support/adversarial-texts.ts";
import { contextHolding, TEXT_FUNCTIONS } from "../support/text-functions.ts";

// No timings are asserted: a linear function gets through the whole corpus in well under vitest's
// 5 s test timeout, and a super-linear one (the link rule took ~7 s on 64,000 characters, so about
// half an hour on 1 MB) blows through it and fails.

const MEGABYTE_TEXTS = adversarialTexts(1_000_000);

describe("every text function on 1 MB adversarial texts", () => {
  it("the corpus holds texts of the requested size", () => {
    for (const { name, text } of MEGABYTE_TEXTS) {
      expect(text.length, name).toBeGreaterThan(900_000);
      expect(text.length, name).toBeLessThanOrEqual(1_000_000);
    }
  });
});

// One test per function and text, so each call has the whole timeout to itself.
describe.each(TEXT_FUNCTIONS)("$name on 1 MB adversarial texts", (textFunction) => {
  it.each(MEGABYTE_TEXTS)("finishes on $name", async ({ text }) => {
    await textFunction.run(text);
  });
});

describe("what the text functions answer on 1 MB", () => {
  const junk = (unit: string) => unit.repeat(Math.floor(1_000_000 / unit.length));
  const rules = { channel: "instagram", firstName: "Maria", isFirstOutbound: true, allowedLinks: [], allowedPrices: [] } as const;

  it("validateDraft rejects a 1 MB draft for its length alone", () => {
    expect(validateDraft(`Hi Maria! ${junk("https://evil.example/pay ")}`, rules)).toEqual({
      ok: false,
      problems: ["The message is 1000010 characters long; the limit on instagram is 500."],
    });
    expect(validateDraft(junk("\n"), rules)).toEqual({ ok: false, problems: [expect.stringContaining("the limit on instagram is 500")] });
  });

  it("validateDraft still reads every rule of a draft a little over the limit", () => {
    const draft = `Hi Maria! Pay at https://evil.example/pay. ${"So good to hear from you. ".repeat(40)}`;
    expect(draft.length).toBeLessThan(MAX_MESSAGE_CHARS.instagram * DRAFT_READ_FACTOR);
    const result = validateDraft(draft, rules);
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringContaining("the limit on instagram is 500"),
      expect.stringContaining("https://evil.example/pay"),
    ]);
  });

  it("extractLinks and extractPrices still find what follows 1 MB of near misses", () => {
    expect(extractLinks(`${junk("a.")} see https://lumen.example/course or shop.example.com/sale, mail ana@studio.com`)).toEqual([
      "https://lumen.example/course",
      "shop.example.com/sale",
    ]);
    expect(extractPrices(`${junk("1,")} it costs $149 or 1.500,00 EUR`)).toEqual(["$149", "1.500,00 EUR"]);
  });

  it("allowedMentions reads the first SOURCE_TEXT_CHARS of a source, never half a price or link", () => {
    // "$1,500" starts 3 characters before the cut.
    const head = "The course is $149 at https://lumen.example/course. ".padEnd(SOURCE_TEXT_CHARS - 3);
    const snippet = `${head}$1,500 https://lumen.example/retreat ${junk("z ")}`;
    const context = contextHolding("hello");
    expect(allowedMentions({ ...context, history: [], knowledge: [{ documentId: "00000000-0000-4000-8000-00000000d0c1", title: "Course", text: snippet, score: 1 }] })).toEqual({
      links: ["https://lumen.example/course"],
      prices: ["$149"],
    });
  });

  it("stripQuotedHistory keeps the reply above 1 MB of quoted history, and one posted below a long quote", () => {
    const history = junk("> Would Friday suit you?\n");
    expect(stripQuotedHistory(`Friday works.\n\nOn Mon, Jan 5, 2026 at 10:00 AM Studio Bloom <a@b.com> wrote:\n${history}`)).toBe("Friday works.");
    const bottomPosted = `${"On Mon, Jan 5, 2026 Bloom wrote:\n> Friday?\n".repeat(1_000)}\nFriday works.\n${history}`;
    expect(stripQuotedHistory(bottomPosted)).toBe("Friday works.");
  });

  it("matchesOptOutKeyword reads a long message to its stored length, and its cut never makes a phrase", () => {
    // Capture stores at most MESSAGE_TEXT_LIMIT of a message; the keywords read all of it.
    expect(MATCHING_TEXT_MAX_CHARS).toBeGreaterThanOrEqual(MESSAGE_TEXT_LIMIT);
    expect(matchesOptOutKeyword(`STOP${junk(" ")}`)).toBe(true);
    expect(matchesOptOutKeyword(`${"So, ".repeat(4_000)}please remove me from your list. ${junk("x ")}`)).toBe(true);
    // The cut falls between "remove me" and "at".
    const filler = " ".repeat(MATCHING_TEXT_MAX_CHARS - "remove me".length);
    expect(matchesOptOutKeyword(`${filler}remove meat, please ${junk("x ")}`)).toBe(false);
  });

  it("parseOptOutVerdict takes a padded verdict and refuses a long answer", () => {
    expect(parseOptOutVerdict(`${junk(" ")}OPT_OUT${junk("\n")}`)).toBe(true);
    expect(parseOptOutVerdict(`OPT_OUT ${junk("because ")}`)).toBeNull();
  });

  it("guessLanguage, firstNameOf and isValidTimeZone answer from the start of a huge value", () => {
    expect(guessLanguage(junk("Hola, quiero saber cuánto cuesta el curso, por favor. "))).toBe("es");
    expect(firstNameOf({ name: `maria ${junk("x")}` })).toBe("Maria");
    expect(firstNameOf({ name: junk("x") })).toBeNull();
    expect(firstNameOf({ email: `${junk("a")}.lopez@example.com` })).toBeNull();
    expect(isValidTimeZone(`Europe/Berlin${junk(" ")}`)).toBe(false);
  });

  it("parseStepDurations refuses a huge steps field without quoting it back", () => {
    const result = parseStepDurations(junk("1m,"));
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error.length).toBeLessThan(200);
  });

  it("estimateSpeechSeconds counts every word of a 1 MB text", () => {
    expect(estimateSpeechSeconds(junk("word \n\t"))).toBe(Math.floor(1_000_000 / 7) / 2.6);
  });
});
