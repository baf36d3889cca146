import { describe, expect, it } from "vitest";
import { chunkSearchText, chunkText, estimateTokens, faqChunk } from "../../src/index.ts";

const sentence = (n: number) => `Sentence number ${n} says something about the shop and its customers.`;
const paragraph = (from: number, count: number) => Array.from({ length: count }, (_, i) => sentence(from + i)).join(" ");

describe("chunkText", () => {
  it("gives each chunk the headings above it, outermost first", () => {
    const chunks = chunkText("# Shop\nWelcome.\n\n## Returns\nThirty days.\n\n### Sale items\nFinal sale.\n\n## Hours\nMon-Sat 10-19.");
    expect(chunks.map((c) => [c.headingPath, c.content])).toEqual([
      [["Shop"], "Welcome."],
      [["Shop", "Returns"], "Thirty days."],
      [["Shop", "Returns", "Sale items"], "Final sale."],
      [["Shop", "Hours"], "Mon-Sat 10-19."],
    ]);
  });

  it("keeps a short text in one chunk and never emits empty sections", () => {
    expect(chunkText("# Empty\n\n# Also empty\nBody.")).toEqual([{ content: "Body.", headingPath: ["Also empty"], tokenEstimate: 2 }]);
    expect(chunkText("")).toEqual([]);
  });

  it("splits a long section into chunks near the target size, each starting with the previous one's tail", () => {
    const text = `# Policy\n${paragraph(1, 40)}\n\n${paragraph(41, 40)}`;
    const chunks = chunkText(text, { targetTokens: 100, overlapTokens: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.headingPath).toEqual(["Policy"]);
      expect(chunk.tokenEstimate).toBeLessThanOrEqual(125);
      expect(chunk.tokenEstimate).toBe(estimateTokens(chunk.content));
    }
    for (let i = 1; i < chunks.length; i += 1) {
      const head = chunks[i]?.content.slice(0, 30) ?? "";
      expect(chunks[i - 1]?.content).toContain(head);
    }
    // Every sentence survives somewhere.
    for (let n = 1; n <= 80; n += 1) expect(chunks.some((c) => c.content.includes(sentence(n)))).toBe(true);
  });

  it("cuts a paragraph without spaces into pieces in linear time", () => {
    const chunks = chunkText("x".repeat(200_000), { targetTokens: 100, overlapTokens: 10 });
    expect(chunks.reduce((sum, c) => sum + c.content.length, 0)).toBeGreaterThanOrEqual(200_000);
  });

  it("treats '#hashtag' and an over-long '#' line as text", () => {
    const chunks = chunkText(`#sale today\n\n# ${"long ".repeat(60)}`);
    expect(chunks.every((c) => c.headingPath.length === 0)).toBe(true);
  });
});

describe("faqChunk and chunkSearchText", () => {
  it("makes one chunk per pair and indexes the title and headings with the text", () => {
    const chunk = faqChunk(" Do you ship to Canada? ", "Yes, in 5-8 days.");
    expect(chunk.content).toBe("Q: Do you ship to Canada?\nA: Yes, in 5-8 days.");
    expect(chunkSearchText("Shipping FAQ", { content: "Body", headingPath: ["A", "B"] })).toBe("Shipping FAQ\nA\nB\nBody");
  });
});
