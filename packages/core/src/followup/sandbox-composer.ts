import type { DraftContext } from "./draft-context.ts";
import { disclosureLineFor, draftLanguage } from "./draft-rules.ts";
import { SANDBOX_LABEL } from "./validate-draft.ts";

// Writes messages without a language model (sandbox mode, no OPENAI key), so the whole loop runs
// end to end on a laptop. Deterministic: the same context always gives the same text. Every
// message carries SANDBOX_LABEL so nobody mistakes it for the real model.

interface Phrases {
  greeting: (name: string | null) => string;
  firstReply: (brand: string) => string;
  reply: (name: string | null, brand: string) => string;
  followUp: (step: number, brand: string) => string;
}

const PHRASES: Record<"en" | "es" | "pt", Phrases> = {
  en: {
    greeting: (name) => (name ? `Hi ${name}!` : "Hi there!"),
    firstReply: (brand) => `Thanks for reaching out to ${brand}. What can I help you with?`,
    reply: (name, brand) => `Thanks for your message${name ? `, ${name}` : ""}! Let me look into it. Anything else ${brand} can help with?`,
    followUp: (step, brand) => `Just following up (follow-up ${step}) on my last message. Is there anything ${brand} can help you with?`,
  },
  es: {
    greeting: (name) => (name ? `¡Hola ${name}!` : "¡Hola!"),
    firstReply: (brand) => `Gracias por escribir a ${brand}. ¿En qué te puedo ayudar?`,
    reply: (name, brand) => `¡Gracias por tu mensaje${name ? `, ${name}` : ""}! Lo reviso y te cuento. ¿Algo más en lo que ${brand} te pueda ayudar?`,
    followUp: (step, brand) => `Solo quería dar seguimiento (seguimiento ${step}) a mi último mensaje. ¿Hay algo en lo que ${brand} te pueda ayudar?`,
  },
  pt: {
    greeting: (name) => (name ? `Olá ${name}!` : "Olá!"),
    firstReply: (brand) => `Obrigado por escrever para ${brand}. Como posso ajudar?`,
    reply: (name, brand) => `Obrigado pela mensagem${name ? `, ${name}` : ""}! Vou verificar. Mais alguma coisa em que ${brand} possa ajudar?`,
    followUp: (step, brand) => `Só passando para acompanhar minha última mensagem (acompanhamento ${step}). Há algo em que ${brand} possa ajudar?`,
  },
};

function phrasesFor(language: string | null): Phrases {
  return language === "es" || language === "pt" ? PHRASES[language] : PHRASES.en;
}

/** A labelled sandbox message for `context`: greets the first name on the first message, names the step on follow-ups. */
export function composeSandboxMessage(context: DraftContext): string {
  const language = draftLanguage(context);
  const phrases = phrasesFor(language);
  const brand = context.brand.name;
  const name = context.lead.firstName;
  let body: string;
  if (context.purpose === "follow_up") {
    body = `${phrases.greeting(name)} ${phrases.followUp(Math.max(1, context.step), brand)}`;
  } else if (context.isFirstOutbound) {
    body = `${phrases.greeting(name)} ${phrases.firstReply(brand)}`;
  } else {
    body = phrases.reply(name, brand);
  }
  const lines = [`${SANDBOX_LABEL} ${body}`];
  if (context.brand.disclosureEnabled) lines.push(disclosureLineFor(brand, language));
  return lines.join("\n\n");
}
