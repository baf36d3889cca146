import { z } from "zod";
import { capAtWordEnd } from "../text/cap.ts";
import type { ChatPrompt, GenerateOptions, TextGenerator } from "../followup/ports.ts";
import { checkFactValue, LEAD_FACT_KINDS, leadFactKindSchema } from "./fact-kinds.ts";
import { FACT_TEXT_MAX_CHARS, type ExtractedFact } from "./extract-facts.ts";

// With a model key, facts also come from the model's structured output (OpenAI response_format
// json_schema, strict): the schema below is the whole answer, and every value is checked for its
// kind as the rules' are. A model that fails or answers out of shape gives no facts (the rules'
// stand), never an error for the lead's message.

/** The answer's JSON schema: a list of {kind, value}, nothing else (strict mode needs every property required and no others). */
export const FACTS_RESPONSE_SCHEMA = {
  name: "lead_facts",
  schema: {
    type: "object",
    properties: {
      facts: {
        type: "array",
        items: {
          type: "object",
          properties: {
            kind: { type: "string", enum: [...LEAD_FACT_KINDS] },
            value: { type: "string" },
          },
          required: ["kind", "value"],
          additionalProperties: false,
        },
      },
    },
    required: ["facts"],
    additionalProperties: false,
  },
} as const satisfies NonNullable<GenerateOptions["responseSchema"]>;

/** The answer is a short list; 400 tokens hold a dozen facts. */
export const FACTS_MAX_OUTPUT_TOKENS = 400;
/** The most of the model's answer that is parsed: 400 tokens are about 1,600 characters. */
const ANSWER_MAX_CHARS = 8_000;
/** A dozen facts are plenty for one message; more is the model rambling. */
const MAX_MODEL_FACTS = 12;

const INSTRUCTIONS = [
  "Extract facts the customer states about themselves in their message. Only what they say, never guesses.",
  "Kinds: email, phone (with country code, E.164 such as +4915112345678), preferred_name (what they ask to be called),",
  "location (their city), timezone (IANA, only when their city or words make it certain), language (BCP 47 code of the message),",
  "interest (a product or service they want, in their words), objection (why they hesitate, in a few words), budget (an amount with its currency).",
  "Return {\"facts\": []} when the message says nothing about them.",
].join(" ");

/** The prompt for one message of the lead's (cut to FACT_TEXT_MAX_CHARS, as the rules read it). */
export function factExtractionPrompt(message: string): ChatPrompt {
  return { system: INSTRUCTIONS, turns: [{ role: "user", content: capAtWordEnd(message, FACT_TEXT_MAX_CHARS, /\S/) }] };
}

// Each item is checked on its own: one item of an unknown kind does not cost the others.
const answerSchema = z.object({ facts: z.array(z.object({ kind: z.string(), value: z.string() })) });

/** The model's answer as checked facts; an answer out of shape gives none, an item of an unknown kind or a value that fails its kind's check is dropped. */
export function parseModelFacts(answer: string): ExtractedFact[] {
  let json: unknown;
  try {
    json = JSON.parse(capAtWordEnd(answer, ANSWER_MAX_CHARS, /\S/));
  } catch {
    return [];
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) return [];
  const facts: ExtractedFact[] = [];
  for (const fact of parsed.data.facts.slice(0, MAX_MODEL_FACTS)) {
    const kind = leadFactKindSchema.safeParse(fact.kind);
    if (!kind.success) continue;
    const checked = checkFactValue(kind.data, fact.value);
    if (checked.ok) facts.push({ kind: kind.data, value: checked.value });
  }
  return facts;
}

/** Asks the model for the facts of one message; [] when it cannot answer (the rules' facts stand alone). */
export async function extractFactsByModel(generator: TextGenerator, message: string): Promise<ExtractedFact[]> {
  try {
    const answer = await generator.generate(factExtractionPrompt(message), {
      purpose: "classify",
      maxOutputTokens: FACTS_MAX_OUTPUT_TOKENS,
      responseSchema: FACTS_RESPONSE_SCHEMA,
    });
    return parseModelFacts(answer);
  } catch {
    return [];
  }
}
