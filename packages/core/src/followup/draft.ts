import type { DraftContext } from "./draft-context.ts";
import { allowedMentions, disclosureLineFor, draftLanguage, emailSubjectFor } from "./draft-rules.ts";
import type { TextGenerator } from "./ports.ts";
import { buildReplyPrompt } from "./prompt.ts";
import { composeSandboxMessage } from "./sandbox-composer.ts";
import { validateDraft, type DraftRules } from "./validate-draft.ts";

/** The model's drafts failed validation twice: sending would embarrass the brand. Not retryable. */
export class DraftRejectedError extends Error {
  override name = "DraftRejectedError";
  readonly retryable = false;
  /** Why the last draft was rejected (safe to log: no secrets, may quote the draft). */
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`The drafted message was rejected twice: ${problems.join(" ")}`);
    this.problems = problems;
  }
}

export interface DraftRequest extends DraftContext {
  /** The language model, or null in sandbox mode (no key): the local composer writes instead. */
  generator: TextGenerator | null;
}

export interface Draft {
  text: string;
  /** Email only. */
  subject?: string;
  source: "model" | "sandbox";
}

function rulesFor(context: DraftContext, disclosureLine: string | null): DraftRules {
  const allowed = allowedMentions(context);
  return {
    channel: context.channel,
    firstName: context.lead.firstName,
    isFirstOutbound: context.isFirstOutbound,
    allowedLinks: allowed.links,
    allowedPrices: allowed.prices,
    disclosureLine,
    voice: context.voice,
  };
}

function withDisclosure(text: string, disclosureLine: string | null): string {
  if (!disclosureLine || text.trim() === "" || text.includes(disclosureLine)) return text;
  return `${text.trim()}\n\n${disclosureLine}`;
}

/**
 * Writes one message: builds the prompt, asks the generator, validates; on a rejected draft asks
 * once more with the problems appended, then gives up with DraftRejectedError. The disclosure line
 * is appended when the model left it out (it is fixed text, no reason to fail over it). A
 * GenerationError from the generator propagates unchanged (its `retryable` tells the job what to do).
 * With no generator the sandbox composer writes the message.
 */
export async function draftMessage(request: DraftRequest): Promise<Draft> {
  const { generator, ...context } = request;
  const subject = context.channel === "email" ? { subject: emailSubjectFor(context) } : {};
  const disclosureLine = context.brand.disclosureEnabled ? disclosureLineFor(context.brand.name, draftLanguage(context)) : null;
  const rules = rulesFor(context, disclosureLine);
  if (generator === null) {
    const verdict = validateDraft(composeSandboxMessage(context), rules);
    if (!verdict.ok) throw new DraftRejectedError(verdict.problems);
    return { text: verdict.text, ...subject, source: "sandbox" };
  }
  const maxOutputTokens = context.channel === "email" ? 700 : 300;
  let problems: string[] = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const output = await generator.generate(buildReplyPrompt(context, problems), { purpose: "reply", maxOutputTokens });
    const verdict = validateDraft(withDisclosure(output, disclosureLine), rules);
    if (verdict.ok) return { text: verdict.text, ...subject, source: "model" };
    problems = verdict.problems;
  }
  throw new DraftRejectedError(problems);
}
