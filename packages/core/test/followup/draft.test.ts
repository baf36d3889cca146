import { describe, expect, it } from "vitest";
import { DraftRejectedError, draftMessage } from "../../src/followup/draft.ts";
import { GenerationError } from "../../src/followup/ports.ts";
import { allowedMentions } from "../../src/followup/draft-rules.ts";
import { GROUNDED_REPLY_FORMAT } from "../../src/followup/grounded-reply.ts";
import { composeSandboxMessage } from "../../src/followup/sandbox-composer.ts";
import { validateDraft } from "../../src/followup/validate-draft.ts";
import { at, draftContext, groundedAnswer, scriptedGenerator } from "./draft-fixtures.ts";

describe("draftMessage with a model", () => {
  it("returns the first valid draft", async () => {
    const generator = scriptedGenerator([groundedAnswer("Hi Maria! The course is $149 and starts every Monday. Want me to save you a spot?")]);
    expect(await draftMessage({ ...draftContext(), generator })).toEqual({
      text: "Hi Maria! The course is $149 and starts every Monday. Want me to save you a spot?",
      source: "model",
      needsOwner: null,
    });
    expect(generator.prompts).toHaveLength(1);
    expect(generator.options[0]).toEqual({ purpose: "reply", maxOutputTokens: 300, responseSchema: GROUNDED_REPLY_FORMAT });
  });

  it("retries once with the problems in the prompt", async () => {
    const generator = scriptedGenerator([groundedAnswer("Hi [Name]! It's $99."), groundedAnswer("Hi Maria! It's $149, starting Monday.")]);
    const draft = await draftMessage({ ...draftContext(), generator });
    expect(draft.text).toBe("Hi Maria! It's $149, starting Monday.");
    expect(generator.prompts).toHaveLength(2);
    expect(generator.prompts[0]?.system).not.toContain("rejected");
    expect(generator.prompts[1]?.system).toContain("Your previous draft was rejected because:");
    expect(generator.prompts[1]?.system).toContain("[Name]");
    expect(generator.prompts[1]?.system).toContain("$99");
  });

  it("gives up after the second invalid draft with a non-retryable error", async () => {
    const generator = scriptedGenerator([groundedAnswer("As an AI language model I cannot."), groundedAnswer("{first_name}, hi"), "never asked"]);
    const error = await draftMessage({ ...draftContext(), generator }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DraftRejectedError);
    expect((error as DraftRejectedError).retryable).toBe(false);
    expect((error as DraftRejectedError).problems.join(" ")).toContain("{...}");
    expect(generator.prompts).toHaveLength(2);
  });

  it("lets a generation failure through untouched, so the job can retry it", async () => {
    const failing = {
      generate: async () => {
        throw new GenerationError("rate limited", true);
      },
    };
    await expect(draftMessage({ ...draftContext(), generator: failing })).rejects.toMatchObject({ name: "GenerationError", retryable: true });
  });

  it("appends the disclosure line the model left out", async () => {
    const context = draftContext({ brand: { name: "Lumen Yoga", voiceRules: "", disclosureEnabled: true } });
    const draft = await draftMessage({ ...context, generator: scriptedGenerator([groundedAnswer("Hi Maria! Happy to help.")]) });
    expect(draft.text).toBe("Hi Maria! Happy to help.\n\n(Automated reply from Lumen Yoga's assistant)");
  });

  it("gives email drafts a subject: Re: their subject in a thread, else one naming the brand", async () => {
    const reply = await draftMessage({
      ...draftContext({ channel: "email", emailSubject: "Question about the course" }),
      generator: scriptedGenerator([groundedAnswer("Hi Maria,\n\nThe course is $149.\n\nBest,\nLumen Yoga")]),
    });
    expect(reply.subject).toBe("Re: Question about the course");
    const followUp = await draftMessage({
      ...draftContext({ channel: "email", purpose: "follow_up", step: 2, isFirstOutbound: false }),
      generator: scriptedGenerator(["Just checking in, Maria. Any questions about the course?"]),
    });
    expect(followUp.subject).toBe("Following up from Lumen Yoga");
    expect(followUp.text).not.toContain("Subject");
  });
});

describe("draftMessage without a model (sandbox)", () => {
  it("greets the first name on the first message, labelled as sandbox", async () => {
    const context = draftContext({
      history: [{ direction: "inbound", body: "Hello there", sentAt: at("2026-06-10T10:00:00Z"), channel: "instagram" }],
    });
    expect(await draftMessage({ ...context, generator: null })).toEqual({
      text: "[Sandbox AI] Hi Maria! Thanks for reaching out to Lumen Yoga. What can I help you with?",
      source: "sandbox",
      needsOwner: null,
    });
  });

  it("is deterministic", () => {
    const context = draftContext({ purpose: "follow_up", step: 2, isFirstOutbound: false });
    expect(composeSandboxMessage(context)).toEqual(composeSandboxMessage(context));
    expect(composeSandboxMessage(context)).toEqual({
      text: "[Sandbox AI] Hi Maria! Just following up (follow-up 2) on my last message. Is there anything Lumen Yoga can help you with?",
      covered: true,
    });
  });

  it("writes Spanish to a Spanish-speaking lead", async () => {
    const context = draftContext({
      history: [{ direction: "inbound", body: "Hola, buenas tardes, soy Maria", sentAt: at("2026-06-10T10:00:00Z"), channel: "instagram" }],
    });
    expect((await draftMessage({ ...context, generator: null })).text).toBe(
      "[Sandbox AI] ¡Hola Maria! Gracias por escribir a Lumen Yoga. ¿En qué te puedo ayudar?",
    );
  });

  it("passes validation for every purpose, language and channel, with and without a name", () => {
    for (const channel of ["instagram", "whatsapp", "email", "sandbox"] as const) {
      for (const language of ["en", "es", "pt", "de"]) {
        for (const firstName of ["Maria", null]) {
          for (const [purpose, step, isFirstOutbound] of [["reply", 0, true], ["reply", 0, false], ["follow_up", 3, false]] as const) {
            const context = draftContext({
              channel,
              purpose,
              step,
              isFirstOutbound,
              lead: { firstName, language, facts: {}, tags: [] },
              brand: { name: "Lumen Yoga", voiceRules: "", disclosureEnabled: true },
            });
            const { text } = composeSandboxMessage(context);
            const allowed = allowedMentions(context);
            const verdict = validateDraft(text, {
              channel,
              firstName,
              isFirstOutbound,
              allowedLinks: allowed.links,
              allowedPrices: allowed.prices,
            });
            expect(verdict.ok, text).toBe(true);
            expect(text.startsWith("[Sandbox AI] ")).toBe(true);
          }
        }
      }
    }
  });
});
