// The words of a summary: its facts (the lines the email lists and the model is given), the
// template narrative, and the check that a model's narrative uses only numbers from the facts.
import type { ChatPrompt, GenerateOptions, TextGenerator } from "../followup/ports.ts";
import { GenerationError } from "../followup/ports.ts";
import type { SummaryContent, SummaryNumbers } from "./summary-content.ts";

/** The narrative a model may write: read this far, at most this many sentences' worth. */
export const NARRATIVE_MAX_CHARS = 600;

export function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

export function stepName(step: number): string {
  return step === 0 ? "the first reply" : `follow-up ${step}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** An amount in minor units in its currency (USD 12345 -> "$123.45"). */
export function money(valueMinor: number, currency: string): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(valueMinor / 10 ** digits);
}

type CountKey = "newLeads" | "messagesIn" | "aiMessages" | "conversions" | "optOuts";
const COUNT_LABELS: Record<CountKey, string> = {
  newLeads: "New leads",
  messagesIn: "Messages from leads",
  aiMessages: "Messages the AI sent",
  conversions: "Conversions",
  optOuts: "Opt-outs",
};

/** "New leads: 12 (8 the week before)": every figure beside the period before. */
export function numberLines(numbers: SummaryNumbers, previousLabel: string): string[] {
  const rateText = (rate: number | null) => (rate === null ? "none" : percent(rate));
  return [
    ...(Object.keys(COUNT_LABELS) as CountKey[]).map((key) => `${COUNT_LABELS[key]}: ${numbers[key].current} (${numbers[key].previous} ${previousLabel})`),
    `Leads who answered the AI: ${rateText(numbers.replyRate.current)} (${rateText(numbers.replyRate.previous)} ${previousLabel})`,
    `New leads who converted: ${rateText(numbers.conversionRate.current)} (${rateText(numbers.conversionRate.previous)} ${previousLabel})`,
    ...numbers.conversionValues.map((value) => `Conversion value: ${money(value.current, value.currency)} (${money(value.previous, value.currency)} ${previousLabel})`),
    `Leads waiting for you now: ${numbers.waitingForOwner}`,
  ];
}

/** What changed since the period before, biggest moves first: only figures that moved. */
export function changeLines(numbers: SummaryNumbers): string[] {
  const moves = (Object.keys(COUNT_LABELS) as CountKey[])
    .map((key) => ({ label: COUNT_LABELS[key], delta: numbers[key].current - numbers[key].previous }))
    .filter((move) => move.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
  return moves.map(({ label, delta }) => `${label} ${delta > 0 ? "up" : "down"} by ${Math.abs(delta)}`);
}

export function highlightLines(content: Pick<SummaryContent, "topQuestions" | "leadsNeedingOwner" | "bestStep">): string[] {
  const lines = content.topQuestions.map((question) => `Asked ${question.count === 1 ? "once" : `${question.count} times`}: "${question.example}"`);
  if (content.leadsNeedingOwner.total > 0) {
    const names = content.leadsNeedingOwner.leads.map((lead) => lead.name).join(", ");
    lines.push(`${plural(content.leadsNeedingOwner.total, "lead needs", "leads need")} you: ${names}`);
  }
  if (content.bestStep) {
    const { step, sent, answered, rate } = content.bestStep;
    lines.push(`Best step: ${stepName(step)}, answered ${answered} of ${sent} times (${percent(rate)})`);
  }
  return lines;
}

/** The facts a narrative may draw on: the numbers, the changes and the highlights. */
export function summaryFacts(content: Omit<SummaryContent, "narrative">, previousLabel: string): string[] {
  return [...numberLines(content.numbers, previousLabel), ...changeLines(content.numbers), ...highlightLines(content)];
}

/** Keyless: a plain narrative from the numbers. */
export function templateNarrative(content: Omit<SummaryContent, "narrative">, periodLabel: string): string {
  const { numbers } = content;
  const who = content.brandName ?? "you";
  const sentences = [
    `${plural(numbers.newLeads.current, "new lead", "new leads")} wrote to ${who} ${periodLabel} (${numbers.newLeads.previous} before).`,
    numbers.aiMessages.current === 0
      ? "The AI sent no messages."
      : `The AI sent ${plural(numbers.aiMessages.current, "message", "messages")}${numbers.replyRate.current === null ? "" : ` and leads answered ${percent(numbers.replyRate.current)} of them`}.`,
    numbers.conversions.current === 0 ? "No lead converted." : `${plural(numbers.conversions.current, "lead", "leads")} converted.`,
  ];
  if (numbers.waitingForOwner > 0) sentences.push(`${plural(numbers.waitingForOwner, "lead is", "leads are")} waiting for you.`);
  return sentences.join(" ");
}

// Digits with an optional decimal part; bounded input and no nesting keep it linear.
const NUMBER_PATTERN = /\d+(?:[.,]\d+)*/g;

function numbersIn(text: string): string[] {
  return (text.match(NUMBER_PATTERN) ?? []).map((number) => number.replace(/,/g, ""));
}

/** The narrative, if every number it states is one of the facts' numbers; null otherwise (use the template). */
export function checkNarrative(narrative: string, facts: readonly string[]): string | null {
  const text = narrative.trim();
  if (text === "" || text.length > NARRATIVE_MAX_CHARS) return null;
  const allowed = new Set(facts.flatMap(numbersIn));
  return numbersIn(text).every((number) => allowed.has(number)) ? text : null;
}

export function narrativePrompt(facts: readonly string[], periodLabel: string): ChatPrompt {
  return {
    system: [
      `You write the short narrative of a business owner's summary of ${periodLabel}: two or three plain sentences, friendly, no greeting, no sign-off.`,
      "Use only the facts below. Never state a number that is not in the facts, and do not compute new ones (no sums, no percentages of your own).",
    ].join(" "),
    turns: [{ role: "user", content: facts.join("\n") }],
  };
}

export const NARRATIVE_GENERATE_OPTIONS: GenerateOptions = { purpose: "summarize", maxOutputTokens: 200 };

/**
 * The narrative: the model's when there is one and it passes checkNarrative, else the template.
 * A model failure falls back to the template (a summary never waits on the model).
 */
export async function writeNarrative(
  content: Omit<SummaryContent, "narrative">,
  labels: { period: string; previous: string },
  generator: TextGenerator | null,
): Promise<SummaryContent["narrative"]> {
  const template = { text: templateNarrative(content, labels.period), writtenBy: "template" as const };
  if (generator === null) return template;
  const facts = summaryFacts(content, labels.previous);
  try {
    const written = await generator.generate(narrativePrompt(facts, labels.period), NARRATIVE_GENERATE_OPTIONS);
    const checked = checkNarrative(written.slice(0, NARRATIVE_MAX_CHARS + 1), facts);
    return checked === null ? template : { text: checked, writtenBy: "model" };
  } catch (error) {
    if (error instanceof GenerationError) return template;
    throw error;
  }
}
