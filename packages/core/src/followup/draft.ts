import type { DraftContext } from "./draft-context.ts";
import { allowedMentions, disclosureLineFor, draftLanguage, emailSubjectFor } from "./draft-rules.ts";
import { GROUNDED_REPLY_FORMAT, parseGroundedReply } from "./grounded-reply.ts";
import { unansweredQuestion, type NeedsOwner } from "./grounding.ts";
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
  /**
   * Set when a reply could not answer the lead from the brand's knowledge (the model said so, or
   * the sandbox composer found no passage about the question): the engine flags the lead for the
   * owner with it. Always null for follow-ups.
   */
  needsOwner: NeedsOwner | null;
}

/** Said to the model when its answer was not the JSON object asked for (it goes back in the retry prompt). */
const NOT_THE_FORMAT = 'The answer was not the JSON object asked for: {"message": "...", "covered": true or false}.';

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
  const needsOwnerUnless = (covered: boolean) => (covered || context.purpose !== "reply" ? null : unansweredQuestion(context.history));
  if (generator === null) {
    let composed = composeSandboxMessage(context);
    let verdict = validateDraft(composed.text, rules);
    // A passage can hold words the draft check refuses (a bracketed note, "TBD"): then the
    // sandbox does not quote it and, like the model, leaves the question to the owner.
    if (!verdict.ok && composed.covered) {
      composed = composeSandboxMessage(context, { answer: false });
      verdict = validateDraft(composed.text, rules);
    }
    if (!verdict.ok) throw new DraftRejectedError(verdict.problems);
    return { text: verdict.text, ...subject, source: "sandbox", needsOwner: needsOwnerUnless(composed.covered) };
  }
  const maxOutputTokens = context.channel === "email" ? 700 : 300;
  // Replies come back as {message, covered}: the model's verdict on the sources decides the flag.
  const grounded = context.purpose === "reply";
  let problems: string[] = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const output = await generator.generate(buildReplyPrompt(context, problems), {
      purpose: "reply",
      maxOutputTokens,
      ...(grounded ? { responseSchema: GROUNDED_REPLY_FORMAT } : {}),
    });
    const reply = grounded ? parseGroundedReply(output) : { message: output, covered: true };
    if (!reply) {
      problems = [NOT_THE_FORMAT];
      continue;
    }
    const verdict = validateDraft(withDisclosure(reply.message, disclosureLine), rules);
    if (verdict.ok) return { text: verdict.text, ...subject, source: "model", needsOwner: needsOwnerUnless(reply.covered) };
    problems = verdict.problems;
  }
  throw new DraftRejectedError(problems);
}
