import { describe, expect, it } from "vitest";
import { checkFactValue } from "../../src/facts/fact-kinds.ts";
import { factInWords, factOriginInWords, factsForPrompt } from "../../src/facts/fact-words.ts";
import { combineExtractions, planFactWrites, type KnownFact } from "../../src/facts/merge-facts.ts";
import { FACTS_RESPONSE_SCHEMA, extractFactsByModel, parseModelFacts } from "../../src/facts/model-facts.ts";
import { buildReplyPrompt } from "../../src/followup/prompt.ts";
import { draftContext } from "../followup/draft-fixtures.ts";

const EARLIER = new Date("2026-12-01T10:00:00Z");
const LATER = new Date("2026-12-02T10:00:00Z");
const known = (id: string, kind: KnownFact["kind"], value: string, source: KnownFact["source"] = "rules", observedAt = EARLIER): KnownFact => ({
  id,
  kind,
  value,
  source,
  observedAt,
});

describe("planFactWrites", () => {
  it("replaces an automatic single value, keeps the owner's, adds interests beside the known ones", () => {
    const plan = planFactWrites(
      [known("f1", "preferred_name", "Samuel"), known("f2", "location", "Berlin", "owner"), known("f3", "interest", "rings")],
      [
        { kind: "preferred_name", value: "Sam" },
        { kind: "location", value: "Paris" },
        { kind: "interest", value: "Rings" },
        { kind: "interest", value: "earrings" },
        { kind: "email", value: "sam@shop.example" },
      ],
      LATER,
    );
    expect(plan).toEqual({
      replace: [{ factId: "f1", value: "Sam" }],
      add: [
        { kind: "interest", value: "earrings" },
        { kind: "email", value: "sam@shop.example" },
      ],
    });
  });

  it("writes nothing for a value already known", () => {
    expect(planFactWrites([known("f1", "email", "sam@shop.example")], [{ kind: "email", value: "SAM@shop.example" }], LATER)).toEqual({ add: [], replace: [] });
  });

  it("never lets an older message, read late, undo a newer value", () => {
    expect(planFactWrites([known("f1", "location", "Paris", "rules", LATER)], [{ kind: "location", value: "Berlin" }], EARLIER)).toEqual({
      add: [],
      replace: [],
    });
  });
});

describe("combineExtractions", () => {
  it("keeps the rules' email and phone, the model's other single values, and both sides' interests once", () => {
    expect(
      combineExtractions(
        [
          { kind: "email", value: "sam@shop.example" },
          { kind: "preferred_name", value: "Sam" },
          { kind: "interest", value: "rings" },
        ],
        [
          { kind: "email", value: "sam@other.example" },
          { kind: "preferred_name", value: "Samantha" },
          { kind: "interest", value: "Rings" },
          { kind: "interest", value: "a gift for my mum" },
        ],
      ),
    ).toEqual([
      { kind: "email", value: "sam@shop.example" },
      { kind: "preferred_name", value: "Samantha" },
      { kind: "interest", value: "Rings" },
      { kind: "interest", value: "a gift for my mum" },
    ]);
  });
});

describe("checkFactValue", () => {
  it("normalizes what it can and says what is wrong otherwise", () => {
    expect(checkFactValue("phone", "+49 (151) 2345-6789")).toEqual({ ok: true, value: "+4915123456789" });
    expect(checkFactValue("phone", "0049 151 23456789")).toEqual({ ok: true, value: "+4915123456789" });
    expect(checkFactValue("phone", "0151 23456789")).toEqual({ ok: false, message: "Enter the number with its country code, such as +49 151 12345678." });
    expect(checkFactValue("email", " Sam@Shop.Example ")).toEqual({ ok: true, value: "sam@shop.example" });
    expect(checkFactValue("email", "sam at shop")).toMatchObject({ ok: false });
    expect(checkFactValue("timezone", "Europe/Berlin")).toEqual({ ok: true, value: "Europe/Berlin" });
    expect(checkFactValue("timezone", "Mars/Olympus")).toEqual({ ok: false, message: "Enter a time zone such as Europe/Berlin." });
    expect(checkFactValue("language", "pt-br")).toEqual({ ok: true, value: "pt-BR" });
    expect(checkFactValue("preferred_name", "   ")).toEqual({ ok: false, message: "Enter a value." });
    expect(checkFactValue("budget", "x".repeat(51))).toEqual({ ok: false, message: "At most 50 characters." });
  });
});

describe("facts in words", () => {
  it("says each kind as a person would, and where it came from", () => {
    expect(factInWords({ kind: "preferred_name", value: "Sam" })).toBe("Prefers to be called Sam");
    expect(factInWords({ kind: "email", value: "sam@x.com" })).toBe("Email: sam@x.com");
    expect(factInWords({ kind: "language", value: "es" })).toBe("Writes in Spanish");
    expect(factInWords({ kind: "objection", value: "too expensive" })).toBe("Objection: too expensive");
    expect(factOriginInWords({ source: "rules", messageSentAt: new Date("2026-12-03T10:00:00Z") })).toBe("from the message of 3 Dec");
    expect(factOriginInWords({ source: "owner", messageSentAt: null })).toBe("added or corrected by you");
    expect(factsForPrompt([{ kind: "interest", value: "gold rings" }])).toEqual(["Interested in gold rings"]);
  });
});

describe("the model's facts", () => {
  it("asks for strict structured output and keeps only values that pass their kind's check", async () => {
    expect(FACTS_RESPONSE_SCHEMA.schema.required).toEqual(["facts"]);
    const answer = JSON.stringify({
      facts: [
        { kind: "preferred_name", value: "Sam" },
        { kind: "phone", value: "not a number" },
        { kind: "timezone", value: "Europe/Lisbon" },
      ],
    });
    let options: unknown;
    const facts = await extractFactsByModel(
      {
        generate: (_prompt, given) => {
          options = given;
          return Promise.resolve(answer);
        },
      },
      "I'm Sam from Lisbon",
    );
    expect(facts).toEqual([
      { kind: "preferred_name", value: "Sam" },
      { kind: "timezone", value: "Europe/Lisbon" },
    ]);
    expect(options).toMatchObject({ purpose: "classify", responseSchema: { name: "lead_facts" } });
  });

  it("gives no facts for an answer out of shape or a model that fails", async () => {
    expect(parseModelFacts("Sure! Here are the facts: ...")).toEqual([]);
    expect(parseModelFacts(JSON.stringify({ facts: [{ kind: "shoe_size", value: "42" }, { kind: "budget", value: "$50" }] }))).toEqual([
      { kind: "budget", value: "$50" },
    ]);
    expect(await extractFactsByModel({ generate: () => Promise.reject(new Error("down")) }, "hi")).toEqual([]);
  });
});

describe("facts in the reply prompt", () => {
  it("tells the model what the lead told us, in words, each value cut like any outside text", () => {
    const context = draftContext({
      lead: {
        firstName: "Sam",
        language: null,
        facts: {},
        tags: [],
        knownFacts: [
          { kind: "preferred_name", value: "Sam" },
          { kind: "objection", value: "too expensive" },
          { kind: "interest", value: `gold rings ${"x".repeat(20_000)}` },
        ],
      },
    });
    const { system } = buildReplyPrompt(context);
    expect(system).toContain("What we know about the lead:\n- Prefers to be called Sam\n- Objection: too expensive\n- Interested in gold rings");
    expect(system.length).toBeLessThan(20_000);
  });
});
