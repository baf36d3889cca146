import { answerFromKnowledge, faqChunk, FOLLOW_UP_POLICY, type KnowledgeIngestPayload } from "@audnix/core";
import { beforeAll, describe, expect, it } from "vitest";
import { addKnowledgeDocument, createKnowledgeSource, runKnowledgeIngestStep } from "../../src/index.ts";
import { useTestDatabase } from "../../src/testing/index.ts";
import { documentText, FAQS, PORTUGUESE_PAGE, SPANISH_PAGE, STORE_GUIDE } from "./boutique.ts";
import { QUESTIONS } from "./questions.ts";

// How the keyless sandbox composer fares on the boutique (docs/decisions/0021): through the same
// knowledge source the engine uses, does it answer each lead question from a passage that answers
// it, answer from a wrong one, or leave it to the owner? And questions the boutique's knowledge
// does not cover at all must go to the owner.

const t = useTestDatabase();

/** Questions a clothing boutique's knowledge does not answer. */
const OFF_TOPIC = [
  "do you sell surfboards?",
  "can you fix my laptop screen",
  "do you have a vegan menu?",
  "what is the wifi password",
  "do you do ear piercings",
  "can i book a table for two tonight",
  "are you hiring sales assistants?",
  "do you repair bicycles",
  "do you sell concert tickets",
  "is there a kids playground",
];

const PASSAGES: Array<[string, string]> = [
  ...[STORE_GUIDE, PORTUGUESE_PAGE, SPANISH_PAGE].flatMap((document) => document.passages.map((p): [string, string] => [p.body.slice(0, 40), p.id])),
  ...FAQS.map((faq): [string, string] => [faqChunk(faq.question, faq.answer).content.slice(0, 40), faq.id]),
];
const passageOf = (text: string) => PASSAGES.find(([key]) => text.startsWith(key))?.[1] ?? null;

let owner: string;
beforeAll(async () => {
  const user = await t.db.asSystem((tx) => tx.user.create({ data: { email: "sandbox-answers@eval.example", plan: "starter" } }));
  owner = user.id;
  const documents = [
    ...[STORE_GUIDE, PORTUGUESE_PAGE, SPANISH_PAGE].map((d) => ({ kind: "text" as const, title: d.title, content: documentText(d) })),
    ...FAQS.map((faq) => ({ kind: "faq" as const, title: faq.question, content: faqChunk(faq.question, faq.answer).content })),
  ];
  for (const document of documents) {
    const { id } = await addKnowledgeDocument(t.db, owner, document);
    let next: KnowledgeIngestPayload | null = { userId: owner, documentId: id };
    while (next) {
      const step = await runKnowledgeIngestStep(t.db, null, next);
      next = step.outcome === "continued" ? step.next : null;
    }
  }
}, 120_000);

async function answer(question: string) {
  const passages = await createKnowledgeSource(t.db, { embedder: null }).findPassages({ userId: owner, query: question, limit: FOLLOW_UP_POLICY.knowledgeLimit });
  return answerFromKnowledge(question, passages, 400);
}

describe("the sandbox composer on the boutique's knowledge", () => {
  it("answers most lead questions from a passage that answers them, rarely from a wrong one", async () => {
    let right = 0;
    const wrong: string[] = [];
    const unanswered: string[] = [];
    for (const item of QUESTIONS) {
      const found = await answer(item.question);
      if (!found) unanswered.push(item.question);
      else if (item.expected.includes(passageOf(found.passage.text) ?? "")) right += 1;
      else wrong.push(`${item.question} -> ${passageOf(found.passage.text)}`);
    }
    console.log(
      [
        `sandbox answers: ${QUESTIONS.length} questions: ${right} answered right, ${wrong.length} wrong, ${unanswered.length} left to the owner`,
        "wrong:",
        ...wrong.map((line) => `  ${line}`),
        "left to the owner:",
        ...unanswered.map((line) => `  ${line}`),
      ].join("\n"),
    );
    expect(right / QUESTIONS.length).toBeGreaterThanOrEqual(0.5);
    expect(wrong.length / QUESTIONS.length).toBeLessThanOrEqual(0.1);
  });

  it("leaves questions the knowledge does not cover to the owner", async () => {
    const answered: string[] = [];
    for (const question of OFF_TOPIC) {
      const found = await answer(question);
      if (found) answered.push(`${question} -> ${passageOf(found.passage.text)}`);
    }
    console.log(`off-topic: ${OFF_TOPIC.length} questions, ${answered.length} answered anyway${answered.map((line) => `\n  ${line}`).join("")}`);
    expect(answered.length).toBeLessThanOrEqual(1);
  });
});
