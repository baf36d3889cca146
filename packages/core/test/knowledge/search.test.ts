import { describe, expect, it } from "vitest";
import { buildSearchQuery, fuseRankings, SEARCH_QUERY_MAX_TERMS, searchConfigFor } from "../../src/index.ts";

describe("buildSearchQuery", () => {
  it("keeps the words that say what the lead wants and drops filler", () => {
    expect(buildSearchQuery("Hi! Do you have the linen dress in size M??").terms).toEqual(["linen", "dress", "size"]);
    expect(buildSearchQuery("Hola, ¿cuánto cuesta el envío a Oporto?").terms).toEqual(["cuánto", "cuesta", "envío", "oporto"]);
  });

  it("matches long words by prefix too, and lets no tsquery operator through", () => {
    expect(buildSearchQuery("shiping cost").tsquery).toBe("shiping | ship:* | cost");
    expect(buildSearchQuery("a & b | !c <-> 'd' :* (e)").tsquery).not.toMatch(/[&!<>'():*]/);
    expect(buildSearchQuery("¿¡...!!").tsquery).toBe("");
  });

  it("reads a bounded number of words from any length of input", () => {
    const query = buildSearchQuery(Array.from({ length: 50_000 }, (_, i) => `w${i}`).join(" "));
    expect(query.terms).toHaveLength(SEARCH_QUERY_MAX_TERMS);
  });
});

describe("searchConfigFor", () => {
  it("picks the stemming configuration of the text's language, 'simple' when unclear", () => {
    expect(searchConfigFor("Hola, gracias por su compra. Los envíos tardan tres días.")).toBe("spanish");
    expect(searchConfigFor("The shop is open and the staff are happy to help you.")).toBe("english");
    expect(searchConfigFor("XL 42 €")).toBe("simple");
  });
});

describe("fuseRankings", () => {
  it("adds 1/(60 + rank) over the lists, so agreement beats one high rank", () => {
    const fused = fuseRankings([
      ["a", "b", "c"],
      ["d", "b", "e"],
    ]);
    expect(fused.map((r) => r.id)).toEqual(["b", "a", "d", "c", "e"]);
    expect(fused[0]?.score).toBeCloseTo(2 / 62, 10);
    expect(fuseRankings([["x", "x", "y"]]).map((r) => r.score)).toEqual([1 / 61, 1 / 63]);
    expect(fuseRankings([])).toEqual([]);
  });
});
