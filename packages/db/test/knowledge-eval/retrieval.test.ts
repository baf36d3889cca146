import { createHashingEmbedder, faqChunk, SEARCH_DEFAULT_LIMIT, type Embedder, type KnowledgeIngestPayload } from "@audnix/core";
import { beforeAll, describe, expect, it } from "vitest";
import { addKnowledgeDocument, runKnowledgeIngestStep, searchKnowledge } from "../../src/index.ts";
import { useTestDatabase } from "../../src/testing/index.ts";
import { documentText, FAQS, PORTUGUESE_PAGE, SPANISH_PAGE, STORE_GUIDE } from "./boutique.ts";
import { QUESTIONS, type EvalQuestion } from "./questions.ts";

// Retrieval quality over a realistic boutique (docs/decisions/0018): recall@5 (an expected passage
// among the first five) and MRR, keyless (full-text only) and hybrid (the deterministic hashing
// embedder: it proves the fusion plumbing, it has no semantics).

const t = useTestDatabase();
const EMBEDDING_DIMENSIONS = 256;

/** passage id by a prefix of its text, which every chunk of it starts with. */
const PASSAGE_KEYS: Array<[string, string]> = [
  ...[STORE_GUIDE, PORTUGUESE_PAGE, SPANISH_PAGE].flatMap((document) => document.passages.map((p): [string, string] => [p.body.slice(0, 40), p.id])),
  ...FAQS.map((faq): [string, string] => [faqChunk(faq.question, faq.answer).content.slice(0, 40), faq.id]),
];

function passageOf(text: string): string | null {
  return PASSAGE_KEYS.find(([key]) => text.startsWith(key))?.[1] ?? null;
}

async function ownerWithKnowledge(email: string, embedder: Embedder | null): Promise<string> {
  const user = await t.db.asSystem((tx) => tx.user.create({ data: { email, plan: "starter" } }));
  const documents = [
    ...[STORE_GUIDE, PORTUGUESE_PAGE, SPANISH_PAGE].map((d) => ({ kind: "text" as const, title: d.title, content: documentText(d) })),
    ...FAQS.map((faq) => ({ kind: "faq" as const, title: faq.question, content: faqChunk(faq.question, faq.answer).content })),
  ];
  for (const document of documents) {
    const { id } = await addKnowledgeDocument(t.db, user.id, document);
    let next: KnowledgeIngestPayload | null = { userId: user.id, documentId: id };
    while (next) {
      const step = await runKnowledgeIngestStep(t.db, embedder, next);
      next = step.outcome === "continued" ? step.next : null;
    }
  }
  return user.id;
}

interface Score {
  recallAt5: number;
  mrr: number;
  misses: string[];
  byLanguage: Record<string, { found: number; total: number }>;
}

async function evaluate(userId: string, embedder: Embedder | null): Promise<Score> {
  let found = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  const byLanguage: Score["byLanguage"] = {};
  for (const item of QUESTIONS) {
    const queryEmbedding = embedder ? ((await embedder.embed([item.question]))[0] ?? null) : null;
    const results = await searchKnowledge(t.db, { userId, query: item.question, limit: SEARCH_DEFAULT_LIMIT, queryEmbedding });
    const rank = results.findIndex((result) => item.expected.includes(passageOf(result.text) ?? "")) + 1;
    const language = (byLanguage[item.language] ??= { found: 0, total: 0 });
    language.total += 1;
    if (rank > 0) {
      found += 1;
      language.found += 1;
      reciprocal += 1 / rank;
    } else {
      misses.push(label(item));
    }
  }
  return { recallAt5: found / QUESTIONS.length, mrr: reciprocal / QUESTIONS.length, misses, byLanguage };
}

function label(item: EvalQuestion): string {
  return `[${item.language}] ${item.question} -> ${item.expected.join("|")}`;
}

let keyless: Score;
let hybrid: Score;

beforeAll(async () => {
  const embedder = createHashingEmbedder(EMBEDDING_DIMENSIONS);
  const [lexicalOwner, hybridOwner] = await Promise.all([ownerWithKnowledge("lexical@eval.example", null), ownerWithKnowledge("hybrid@eval.example", embedder)]);
  keyless = await evaluate(lexicalOwner, null);
  hybrid = await evaluate(hybridOwner, embedder);
  const line = (name: string, s: Score) =>
    `${name.padEnd(28)} recall@5 ${s.recallAt5.toFixed(3)}  MRR ${s.mrr.toFixed(3)}  ` +
    Object.entries(s.byLanguage).map(([language, { found, total }]) => `${language} ${found}/${total}`).join("  ");
  console.log(
    [
      `knowledge retrieval eval: ${QUESTIONS.length} questions, ${PASSAGE_KEYS.length} passages`,
      line("keyless (full-text)", keyless),
      line("hybrid (hashing embedder)", hybrid),
      "keyless misses:",
      ...keyless.misses.map((miss) => `  ${miss}`),
    ].join("\n"),
  );
}, 120_000);

describe("knowledge retrieval evaluation", () => {
  it("has at least 60 questions in several languages, each pointing at passages that exist", () => {
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(QUESTIONS.map((item) => item.language))).toEqual(new Set(["en", "es", "pt", "fr", "de"]));
    const ids = new Set(PASSAGE_KEYS.map(([, id]) => id));
    for (const item of QUESTIONS) for (const id of item.expected) expect(ids).toContain(id);
  });

  it("finds an answering passage among the first five for at least 80% of questions without any key", () => {
    expect(keyless.recallAt5).toBeGreaterThanOrEqual(0.8);
  });

  it("keeps the hybrid path at least as good as full text alone", () => {
    expect(hybrid.recallAt5).toBeGreaterThanOrEqual(keyless.recallAt5 - 0.05);
  });
});
