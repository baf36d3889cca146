import { MAX_MESSAGE_CHARS } from "./defaults.ts";
import type { DraftContext } from "./draft-context.ts";
import { disclosureLineFor, draftLanguage } from "./draft-rules.ts";
import { knowledgeQueryFor } from "./grounding.ts";
import { answerFromKnowledge, looksLikeQuestion } from "./knowledge-answer.ts";
import { SANDBOX_LABEL } from "./validate-draft.ts";

// Writes messages without a language model (sandbox mode, no OPENAI key), so the whole loop runs
// end to end on a laptop. Deterministic: the same context always gives the same text. Every
// message carries SANDBOX_LABEL so nobody mistakes it for the real model.

interface Phrases {
  greeting: (name: string | null) => string;
  firstReply: (brand: string) => string;
  reply: (name: string | null, brand: string) => string;
  followUp: (step: number, brand: string) => string;
  /** After an answer from the brand's knowledge. */
  anythingElse: (brand: string) => string;
  /** A question the knowledge does not answer: the owner is flagged and will answer. */
  willGetBack: () => string;
}

const PHRASES: Record<"en" | "es" | "pt", Phrases> = {
  en: {
    greeting: (name) => (name ? `Hi ${name}!` : "Hi there!"),
    firstReply: (brand) => `Thanks for reaching out to ${brand}. What can I help you with?`,
    reply: (name, brand) => `Thanks for your message${name ? `, ${name}` : ""}! Let me look into it. Anything else ${brand} can help with?`,
    followUp: (step, brand) => `Just following up (follow-up ${step}) on my last message. Is there anything ${brand} can help you with?`,
    anythingElse: (brand) => `Anything else ${brand} can help with?`,
    willGetBack: () => "Good question! I'm checking with the team and we'll get back to you soon.",
  },
  es: {
    greeting: (name) => (name ? `¡Hola ${name}!` : "¡Hola!"),
    firstReply: (brand) => `Gracias por escribir a ${brand}. ¿En qué te puedo ayudar?`,
    reply: (name, brand) => `¡Gracias por tu mensaje${name ? `, ${name}` : ""}! Lo reviso y te cuento. ¿Algo más en lo que ${brand} te pueda ayudar?`,
    followUp: (step, brand) => `Solo quería dar seguimiento (seguimiento ${step}) a mi último mensaje. ¿Hay algo en lo que ${brand} te pueda ayudar?`,
    anythingElse: (brand) => `¿Algo más en lo que ${brand} te pueda ayudar?`,
    willGetBack: () => "¡Buena pregunta! Lo consulto con el equipo y te respondemos pronto.",
  },
  pt: {
    greeting: (name) => (name ? `Olá ${name}!` : "Olá!"),
    firstReply: (brand) => `Obrigado por escrever para ${brand}. Como posso ajudar?`,
    reply: (name, brand) => `Obrigado pela mensagem${name ? `, ${name}` : ""}! Vou verificar. Mais alguma coisa em que ${brand} possa ajudar?`,
    followUp: (step, brand) => `Só passando para acompanhar minha última mensagem (acompanhamento ${step}). Há algo em que ${brand} possa ajudar?`,
    anythingElse: (brand) => `Mais alguma coisa em que ${brand} possa ajudar?`,
    willGetBack: () => "Boa pergunta! Vou confirmar com a equipe e respondemos em breve.",
  },
};

function phrasesFor(language: string | null): Phrases {
  return language === "es" || language === "pt" ? PHRASES[language] : PHRASES.en;
}

export interface SandboxMessage {
  text: string;
  /** false: the lead asked something the brand's knowledge does not answer (the owner is flagged). */
  covered: boolean;
}

/**
 * A labelled sandbox message for `context`: greets the first name on the first message, names the
 * step on follow-ups. A reply to a question answers from the brand's knowledge when a passage
 * confidently covers it (answerFromKnowledge), else says the team will get back (covered: false).
 * `answer: false` leaves the knowledge out (for a passage whose words the draft check refuses).
 */
export function composeSandboxMessage(context: DraftContext, options: { answer?: boolean } = {}): SandboxMessage {
  const language = draftLanguage(context);
  const phrases = phrasesFor(language);
  const brand = context.brand.name;
  const name = context.lead.firstName;
  const greeting = context.isFirstOutbound ? `${phrases.greeting(name)} ` : "";
  const disclosure = context.brand.disclosureEnabled ? disclosureLineFor(brand, language) : null;
  let body: string;
  let covered = true;
  if (context.purpose === "follow_up") {
    body = `${phrases.greeting(name)} ${phrases.followUp(Math.max(1, context.step), brand)}`;
  } else {
    // The words search was asked with: the passages were found for them.
    const question = knowledgeQueryFor(context.history);
    const closing = phrases.anythingElse(brand);
    // What the answer may take of the channel's limit once label, greeting, closing and disclosure are in.
    const room = MAX_MESSAGE_CHARS[context.channel] - SANDBOX_LABEL.length - greeting.length - closing.length - (disclosure ? disclosure.length + 2 : 0) - 3;
    const found = options.answer === false ? null : answerFromKnowledge(question, context.knowledge, room);
    if (found) {
      body = `${greeting}${found.answer} ${closing}`;
    } else if (looksLikeQuestion(question)) {
      body = `${greeting}${phrases.willGetBack()}`;
      covered = false;
    } else if (context.isFirstOutbound) {
      body = `${greeting}${phrases.firstReply(brand)}`;
    } else {
      body = phrases.reply(name, brand);
    }
  }
  const lines = [`${SANDBOX_LABEL} ${body}`];
  if (disclosure) lines.push(disclosure);
  return { text: lines.join("\n\n"), covered };
}
