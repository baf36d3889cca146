import { factsForPrompt } from "../facts/fact-words.ts";
import { SUMMARY_MAX_CHARS } from "../memory/extractive-summary.ts";
import { capAtWordEnd } from "../text/cap.ts";
import { MAX_MESSAGE_CHARS, VOICE_NOTE } from "./defaults.ts";
import type { DraftContext } from "./draft-context.ts";
import { disclosureLineFor, draftLanguage, knowledgeSources, languageName, recentHistory, sourceText } from "./draft-rules.ts";
import type { ChatPrompt } from "./ports.ts";

function lengthRule(context: DraftContext): string {
  if (context.voice) {
    const minWords = Math.ceil(VOICE_NOTE.minSeconds * VOICE_NOTE.wordsPerSecond);
    const maxWords = Math.floor(VOICE_NOTE.maxSeconds * VOICE_NOTE.wordsPerSecond);
    return `This text will be spoken as a ${VOICE_NOTE.minSeconds}-${VOICE_NOTE.maxSeconds} second voice note: write ${minWords}-${maxWords} words of natural speech, no links, no emojis, no lists.`;
  }
  const max = MAX_MESSAGE_CHARS[context.channel];
  if (context.channel === "email") {
    return `This is an email: at most 3 short paragraphs and ${max} characters, no subject line (it is set separately), no signature block.`;
  }
  return `This is a direct message: 2-3 short sentences, at most ${max} characters, like a person typing on their phone.`;
}

function purposeRule(context: DraftContext): string {
  if (context.purpose === "reply") return "Answer the lead's latest message(s) directly and helpfully.";
  return [
    `The lead has not answered your last message. Write follow-up number ${context.step}:`,
    "a short, friendly nudge with an easy reason to answer; do not repeat earlier messages word for word.",
  ].join(" ");
}

function greetingRule(context: DraftContext): string {
  const name = context.lead.firstName;
  if (context.isFirstOutbound) {
    return name
      ? `This is your first message to the lead: start by greeting them by their first name, "${name}".`
      : "This is your first message to the lead: greet them warmly; you do not know their name, so do not guess one.";
  }
  return name
    ? `The lead's first name is ${name}; use it naturally, not in every sentence.`
    : "You do not know the lead's name: do not guess one.";
}

function languageRule(context: DraftContext): string {
  const language = draftLanguage(context);
  return language
    ? `Write in ${languageName(language)}.`
    : "Write in the language of the lead's last message.";
}

function factsBlock(context: DraftContext): string[] {
  const facts = Object.entries(context.lead.facts).map(([key, value]) => `- ${key}: ${sourceText(value)}`);
  facts.push(...factsForPrompt(context.lead.knownFacts ?? []).map((line) => `- ${line}`));
  if (context.lead.tags.length > 0) facts.push(`- tags: ${context.lead.tags.join(", ")}`);
  return facts.length > 0 ? ["What we know about the lead:", ...facts] : [];
}

/** The rolling summary of what came before the messages the model is shown (docs/decisions/0024). */
function summaryBlock(context: DraftContext): string[] {
  const summary = context.conversationSummary?.trim();
  return summary ? [`Earlier in this conversation:\n${capAtWordEnd(summary, SUMMARY_MAX_CHARS, /\S/)}`] : [];
}

function knowledgeBlock(context: DraftContext): string[] {
  const sources = knowledgeSources(context);
  if (sources.length === 0) return ["Sources: none. Do not state prices, links or facts about the business you were not given."];
  return [
    "Sources (the brand's knowledge, the only facts, prices and links about the business you may use):",
    ...sources.map((source) => `[${source.number}] ${source.title}\n${source.text}`),
  ];
}

/**
 * Answer only from the sources; what they do not cover goes to the team, and a reply says so in
 * its `covered` field (GROUNDED_REPLY_FORMAT), which flags the lead for the owner.
 */
function groundingRules(context: DraftContext): string[] {
  const rule = "Answer questions about the business only from the numbered sources and the conversation; never guess or invent facts.";
  if (context.purpose !== "reply") return [rule];
  return [
    rule,
    "When they do not cover what the lead asks, say you will check with the team and get back to them, and set covered to false.",
    'Answer with a JSON object: "message" is the message to send; "covered" is false when the lead asked something the sources and the conversation do not answer, true otherwise.',
  ];
}

/**
 * The prompt for one outbound message: the brand's voice and knowledge, what we know about the lead,
 * the rules every message follows (short, human, the lead's language, first name, nothing invented,
 * no placeholders, disclosure when enabled) and the last messages of the conversation as turns
 * (lead = user, business = assistant), each snippet and message cut at SOURCE_TEXT_CHARS like the
 * draft check reads them. `previousProblems` lists why the last draft was rejected, for the one
 * retry draftMessage makes.
 */
export function buildReplyPrompt(context: DraftContext, previousProblems: readonly string[] = []): ChatPrompt {
  const brand = context.brand.name;
  const disclosure = context.brand.disclosureEnabled ? disclosureLineFor(brand, draftLanguage(context)) : null;
  const lines = [
    `You write messages on behalf of ${brand} to a lead on ${context.channel}. You are a member of the team, writing in first person.`,
    context.brand.voiceRules.trim() ? `The brand's voice and rules, from the owner:\n${context.brand.voiceRules.trim()}` : "",
    "",
    purposeRule(context),
    greetingRule(context),
    languageRule(context),
    lengthRule(context),
    "Sound human: plain words, no corporate phrases, no markdown, at most one emoji.",
    "Only mention prices and links that appear word for word in the sources or the conversation; never invent any.",
    ...groundingRules(context),
    "Write the final message only: no placeholders like [Name] or {first_name}, no notes, no alternatives, no quotes around it.",
    "Never say you are a language model.",
    disclosure ? `End the message with this line, exactly: ${disclosure}` : "",
    "",
    ...factsBlock(context),
    ...summaryBlock(context),
    ...knowledgeBlock(context),
    previousProblems.length > 0
      ? `\nYour previous draft was rejected because:\n${previousProblems.map((problem) => `- ${problem}`).join("\n")}\nWrite a new draft that fixes every point.`
      : "",
  ];
  return {
    system: lines.filter((line, index, all) => line !== "" || (all[index - 1] ?? "") !== "").join("\n").trim(),
    turns: recentHistory(context.history).map((message) => ({
      role: message.direction === "inbound" ? ("user" as const) : ("assistant" as const),
      content: sourceText(message.body),
    })),
  };
}
