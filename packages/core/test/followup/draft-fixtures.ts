import type { DraftContext } from "../../src/followup/draft-context.ts";
import type { ChatPrompt, GenerateOptions, KnowledgePassage, TextGenerator } from "../../src/followup/ports.ts";

export const at = (iso: string) => new Date(iso);

/** A lead who asked about the course on Instagram; no message of ours yet. */
export function draftContext(overrides: Partial<DraftContext> = {}): DraftContext {
  return {
    brand: { name: "Lumen Yoga", voiceRules: "Warm and calm. Never use exclamation marks twice.", disclosureEnabled: false },
    lead: { firstName: "Maria", language: null, facts: { goal: "less back pain" }, tags: ["course"] },
    history: [
      { direction: "inbound", body: "Hi! How much is the 8 week course?", sentAt: at("2026-06-10T10:00:00Z"), channel: "instagram" },
    ],
    knowledge: [passage("The 8 week course costs $149 and starts every Monday. Sign up at https://lumen.example/course", "The 8 week course")],
    conversationSummary: null,
    isFirstOutbound: true,
    purpose: "reply",
    step: 0,
    channel: "instagram",
    voice: false,
    ...overrides,
  };
}

/** A generator that answers from a script, one answer per call, and records every prompt. */
export function scriptedGenerator(answers: string[]): TextGenerator & { prompts: ChatPrompt[]; options: GenerateOptions[] } {
  const prompts: ChatPrompt[] = [];
  const options: GenerateOptions[] = [];
  return {
    prompts,
    options,
    async generate(prompt, generateOptions) {
      prompts.push(prompt);
      options.push(generateOptions);
      const answer = answers[prompts.length - 1];
      if (answer === undefined) throw new Error("The script ran out of answers");
      return answer;
    },
  };
}

/** A knowledge passage as search returns it. */
export function passage(text: string, title = "Knowledge", score = 0.016): KnowledgePassage {
  return { documentId: "00000000-0000-4000-8000-00000000d0c1", title, text, score };
}

/** A reply as the model answers the grounded-reply schema. */
export function groundedAnswer(message: string, covered = true): string {
  return JSON.stringify({ message, covered });
}
