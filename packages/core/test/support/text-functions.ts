import { stripQuotedHistory } from "../../src/capture/email-text.ts";
import { DraftRejectedError, draftMessage } from "../../src/followup/draft.ts";
import type { DraftContext } from "../../src/followup/draft-context.ts";
import {
  allowedMentions,
  draftLanguage,
  emailSubjectFor,
  extractLinks,
  extractPrices,
  historyWindow,
  unknownLinks,
  unknownPrices,
} from "../../src/followup/draft-rules.ts";
import { firstNameOf } from "../../src/followup/first-name.ts";
import { classifySentence, extractiveSummary, splitSentences } from "../../src/memory/extractive-summary.ts";
import { summarizeConversation } from "../../src/memory/summarize.ts";
import { guessLanguage } from "../../src/followup/language.ts";
import { buildOptOutClassificationPrompt, detectOptOut, matchesOptOutKeyword, parseOptOutVerdict } from "../../src/followup/opt-out.ts";
import type { TextGenerator } from "../../src/followup/ports.ts";
import { buildReplyPrompt } from "../../src/followup/prompt.ts";
import { parseClockTime } from "../../src/followup/quiet-hours.ts";
import { composeSandboxMessage } from "../../src/followup/sandbox-composer.ts";
import { parseGroundedReply } from "../../src/followup/grounded-reply.ts";
import { unansweredQuestion } from "../../src/followup/grounding.ts";
import { answerFromKnowledge, looksLikeQuestion } from "../../src/followup/knowledge-answer.ts";
import { parseStepDurations } from "../../src/followup/step-durations.ts";
import { containsPhrase, normalizeForMatching } from "../../src/followup/text-normalize.ts";
import { isValidTimeZone, resolveTimeZone } from "../../src/followup/time-zone.ts";
import { validateDraft } from "../../src/followup/validate-draft.ts";
import { checkFactValue, LEAD_FACT_KINDS } from "../../src/facts/fact-kinds.ts";
import { extractFactsByRules, findPhoneNumbers } from "../../src/facts/extract-facts.ts";
import { findEmailAddresses } from "../../src/followup/find-links.ts";
import { extractFactsByModel, parseModelFacts } from "../../src/facts/model-facts.ts";
import { estimateSpeechSeconds, fitsVoiceNote } from "../../src/followup/voice.ts";

// Every public function of core that reads outside text (a lead's message or profile, an email,
// model output, brand knowledge, an owner's settings field), each wired so the text lands where
// outside text arrives in production. Results may be awaited (some functions are async).

export interface TextFunction {
  name: string;
  run(text: string): unknown;
}

const at = new Date("2026-06-10T10:00:00Z");

/**
 * A reply on `channel` whose every outside field holds `text`: the lead's messages and facts, the
 * knowledge snippets, the email subject. (Brand name and voice rules are the owner's, capped by the
 * settings API.)
 */
export function contextHolding(text: string, channel: DraftContext["channel"] = "email"): DraftContext {
  return {
    brand: { name: "Lumen Yoga", voiceRules: "Warm and brief.", disclosureEnabled: true },
    lead: { firstName: "Maria", language: null, facts: { goal: text }, knownFacts: [{ kind: "interest", value: text }], tags: [] },
    history: [
      { direction: "inbound", body: text, sentAt: at, channel },
      { direction: "outbound", body: text, sentAt: at, channel },
      { direction: "inbound", body: text, sentAt: at, channel },
    ],
    knowledge: [
      { documentId: "00000000-0000-4000-8000-00000000d0c1", title: text, text, score: 1 },
      { documentId: "00000000-0000-4000-8000-00000000d0c2", title: "FAQ", text: `Q: ${text}\nA: ${text}`, score: 0.5 },
    ],
    conversationSummary: text,
    isFirstOutbound: false,
    purpose: "reply",
    step: 0,
    channel,
    voice: false,
    emailSubject: text,
  };
}

/** A model that answers every prompt with `text`. */
export function answering(text: string): TextGenerator {
  return { generate: () => Promise.resolve(text) };
}

/** The same call, minus the one error a caller expects for bad input. */
function expecting<E extends Error>(kind: new (...args: never[]) => E, run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
}

export const TEXT_FUNCTIONS: TextFunction[] = [
  { name: "normalizeForMatching", run: (text) => normalizeForMatching(text) },
  { name: "containsPhrase", run: (text) => containsPhrase(text, "leave me alone") },
  { name: "matchesOptOutKeyword", run: (text) => matchesOptOutKeyword(text) },
  { name: "buildOptOutClassificationPrompt", run: (text) => buildOptOutClassificationPrompt(text) },
  { name: "parseOptOutVerdict", run: (text) => parseOptOutVerdict(text) },
  { name: "detectOptOut (model answers with the text)", run: (text) => detectOptOut({ text, classify: answering(text) }) },
  { name: "guessLanguage", run: (text) => guessLanguage(text) },
  { name: "firstNameOf (preferred name)", run: (text) => firstNameOf({ preferredName: text }) },
  { name: "firstNameOf (profile name)", run: (text) => firstNameOf({ name: text }) },
  { name: "firstNameOf (email)", run: (text) => firstNameOf({ email: text }) },
  { name: "extractLinks", run: (text) => extractLinks(text) },
  { name: "extractPrices", run: (text) => extractPrices(text) },
  { name: "unknownLinks", run: (text) => unknownLinks(text, [text]) },
  { name: "unknownPrices", run: (text) => unknownPrices(text, [text]) },
  { name: "allowedMentions", run: (text) => allowedMentions(contextHolding(text)) },
  { name: "draftLanguage", run: (text) => draftLanguage(contextHolding(text)) },
  { name: "emailSubjectFor", run: (text) => emailSubjectFor(contextHolding(text)) },
  { name: "buildReplyPrompt", run: (text) => buildReplyPrompt(contextHolding(text), [text]) },
  { name: "composeSandboxMessage", run: (text) => composeSandboxMessage(contextHolding(text)) },
  { name: "answerFromKnowledge", run: (text) => answerFromKnowledge(text, contextHolding(text).knowledge, 500) },
  { name: "looksLikeQuestion", run: (text) => looksLikeQuestion(text) },
  { name: "pendingLeadWords / unansweredQuestion", run: (text) => unansweredQuestion(contextHolding(text).history) },
  { name: "parseGroundedReply", run: (text) => parseGroundedReply(JSON.stringify({ message: text, covered: true })) },
  {
    name: "validateDraft",
    run: (text) =>
      validateDraft(text, {
        channel: "email",
        firstName: text,
        isFirstOutbound: true,
        allowedLinks: [text],
        allowedPrices: [text],
        disclosureLine: text,
        voice: true,
      }),
  },
  {
    name: "draftMessage (the model answers with the text)",
    run: async (text) => {
      try {
        return await draftMessage({ ...contextHolding(text, "instagram"), generator: answering(text) });
      } catch (error) {
        if (error instanceof DraftRejectedError) return error;
        throw error;
      }
    },
  },
  { name: "estimateSpeechSeconds", run: (text) => estimateSpeechSeconds(text) },
  { name: "fitsVoiceNote", run: (text) => fitsVoiceNote(text) },
  { name: "parseStepDurations", run: (text) => parseStepDurations(text) },
  { name: "parseClockTime", run: (text) => expecting(RangeError, () => parseClockTime(text)) },
  { name: "isValidTimeZone", run: (text) => isValidTimeZone(text) },
  { name: "resolveTimeZone", run: (text) => resolveTimeZone(text, text) },
  { name: "stripQuotedHistory", run: (text) => stripQuotedHistory(text) },
  { name: "extractFactsByRules", run: (text) => extractFactsByRules(text) },
  { name: "findPhoneNumbers", run: (text) => findPhoneNumbers(text) },
  { name: "findEmailAddresses", run: (text) => findEmailAddresses(text) },
  { name: "parseModelFacts", run: (text) => parseModelFacts(text) },
  { name: "extractFactsByModel", run: (text) => extractFactsByModel(answering(text), text) },
  { name: "checkFactValue", run: (text) => LEAD_FACT_KINDS.map((kind) => checkFactValue(kind, text)) },
  { name: "historyWindow", run: (text) => historyWindow(contextHolding(text).history) },
  { name: "splitSentences", run: (text) => splitSentences(text) },
  { name: "classifySentence", run: (text) => classifySentence(text) },
  {
    name: "extractiveSummary",
    run: (text) => extractiveSummary({ previous: text, messages: contextHolding(text).history }),
  },
  {
    name: "summarizeConversation (the model answers with the text)",
    run: (text) => summarizeConversation({ brandName: "Lumen Yoga", previous: text, messages: contextHolding(text).history, generator: answering(text) }),
  },
];
