import { trimEndWhere } from "../text/trim.ts";
import { MAX_MESSAGE_CHARS, VOICE_NOTE } from "./defaults.ts";
import { unknownLinks, unknownPrices } from "./draft-rules.ts";
import type { OutboundChannel } from "./ports.ts";
import { normalizeForMatching } from "./text-normalize.ts";
import { estimateSpeechSeconds } from "./voice.ts";

/** Marks every sandbox-composed message, so nobody mistakes it for the real model. */
export const SANDBOX_LABEL = "[Sandbox AI]";

export interface DraftRules {
  channel: OutboundChannel;
  firstName: string | null;
  isFirstOutbound: boolean;
  /** Links the draft may contain (from knowledge snippets and the conversation). */
  allowedLinks: readonly string[];
  /** Prices the draft may contain (same sources). */
  allowedPrices: readonly string[];
  /** When set, the draft must contain this line. */
  disclosureLine?: string | null;
  /** The draft is a voice-note script: it must not run past the longest note. */
  voice?: boolean;
}

export type DraftValidation = { ok: true; text: string } | { ok: false; problems: string[] };

/**
 * A draft longer than this many times its channel's MAX_MESSAGE_CHARS is refused for its length
 * before anything else reads it. The model is asked for at most MAX_MESSAGE_CHARS and given 300
 * output tokens (700 for email), roughly 1,200 (2,800) characters, so only runaway output or a
 * broken model server sends more; tidying and scanning all of it would only cost time.
 */
export const DRAFT_READ_FACTOR = 4;

// Template leftovers a model copies from examples or emits when it lacks a value. No two
// neighbouring quantifiers take the same characters unboundedly, so none can backtrack
// quadratically ("{{{{…" or "insert" and a long run of spaces once did).
const LEFTOVERS: ReadonlyArray<[RegExp, string]> = [
  [/\{\{[^{}]*\}\}/, "{{...}}"],
  [/\{\s*[A-Za-z_][\w ]{0,30}\}/, "{...}"],
  [/\[(?!\s*\])[^\]\n]{1,40}\](?!\()/, "[...]"],
  [/<\s*[A-Za-z_][\w -]{0,30}>/, "<...>"],
  [/\bINSERT\b|\binsert\s+(?:(?:your|the|an?)\s*)?[\w ]{0,20}\bhere\b/i, "INSERT"],
  [/\b(?:lorem ipsum|TODO|TBD|XXX)\b/, "TODO/TBD/XXX"],
];

const LINE_END_BLANK = /[ \t]/;

const AI_SELF_REFERENCE = /\bas an? (?:ai|artificial intelligence)(?: language)? model\b|\bi(?:'m| am) (?:an? )?(?:ai )?language model\b|\bas a (?:large )?language model\b/i;

/** Trimmed, CRLF -> LF, no trailing spaces, at most one blank line in a row, no wrapping quotes. */
function normalizeDraft(text: string): string {
  let result = text.replace(/\r\n?/g, "\n").trim();
  const quoted = /^(["“«])([\s\S]*)(["”»])$/.exec(result);
  if (quoted && !quoted[2]?.includes(quoted[1] as string)) result = (quoted[2] ?? "").trim();
  return result
    .split("\n")
    .map((line) => trimEndWhere(line, LINE_END_BLANK))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n");
}

/**
 * Checks a model's draft before it can be sent. Every problem is a sentence the model can act on
 * (they go back into the retry prompt) and never quotes anything secret.
 */
export function validateDraft(text: string, rules: DraftRules): DraftValidation {
  const max = MAX_MESSAGE_CHARS[rules.channel];
  const tooLong = (length: number) => `The message is ${length} characters long; the limit on ${rules.channel} is ${max}.`;
  if (text.length > max * DRAFT_READ_FACTOR) return { ok: false, problems: [tooLong(text.length)] };
  const draft = normalizeDraft(text);
  if (draft === "") return { ok: false, problems: ["The message is empty."] };
  const problems: string[] = [];
  if (draft.length > max) problems.push(tooLong(draft.length));
  const withoutLabel = draft.split(SANDBOX_LABEL).join("");
  for (const [pattern, kind] of LEFTOVERS) {
    const match = pattern.exec(withoutLabel);
    if (match) problems.push(`It contains a template placeholder (${kind}: "${match[0]}"); write the real words instead.`);
  }
  if (AI_SELF_REFERENCE.test(draft)) problems.push('It refers to itself as a language model ("As an AI language model").');
  if (rules.channel === "email" && /^subject\s*:/i.test(draft)) problems.push("It starts with a subject line; write only the body.");
  const links = unknownLinks(draft, rules.allowedLinks);
  if (links.length > 0) problems.push(`It contains links that are not in the brand knowledge or conversation: ${links.join(", ")}.`);
  const prices = unknownPrices(draft, rules.allowedPrices);
  if (prices.length > 0) problems.push(`It contains prices that are not in the brand knowledge or conversation: ${prices.join(", ")}.`);
  if (rules.isFirstOutbound && rules.firstName) {
    const opening = normalizeForMatching(draft.slice(0, 120));
    if (!` ${opening} `.includes(` ${normalizeForMatching(rules.firstName)} `)) {
      problems.push(`It is the first message to the lead but does not greet them by their first name (${rules.firstName}) at the start.`);
    }
  }
  if (rules.disclosureLine && !draft.replace(/\s+/g, " ").includes(rules.disclosureLine.replace(/\s+/g, " "))) {
    problems.push(`It lacks the required line: ${rules.disclosureLine}`);
  }
  if (rules.voice && estimateSpeechSeconds(draft) > VOICE_NOTE.maxSeconds) {
    problems.push(`As a voice note it would run about ${Math.round(estimateSpeechSeconds(draft))} seconds; keep it under ${VOICE_NOTE.maxSeconds}.`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, text: draft };
}
