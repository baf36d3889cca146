import { describe, expect, it } from "vitest";
import { GenerationError, type ChatPrompt, type GenerateOptions, type TextGenerator } from "../../src/followup/ports.ts";
import { classifySentence, extractiveSummary, splitSentences, SUMMARY_MAX_CHARS, SUMMARY_SENTENCE_MAX_CHARS } from "../../src/memory/extractive-summary.ts";
import { buildSummaryPrompt, summarizeConversation } from "../../src/memory/summarize.ts";

const lead = (body: string) => ({ direction: "inbound" as const, body });
const us = (body: string) => ({ direction: "outbound" as const, body });

describe("extractiveSummary", () => {
  it("keeps the lead's questions, decisions and facts, and leaves out small talk and our own messages", () => {
    const summary = extractiveSummary({
      previous: null,
      messages: [
        lead("Hi there! Thanks so much."),
        us("Hi Maria! What are you looking for? We have a $149 course."),
        lead("Do you have evening classes? I work until 6pm on weekdays. lol"),
        lead("Ok great, sign me up for the Tuesday class."),
        lead("how do I pay for it"),
      ],
    });
    expect(summary).toBe(
      [
        "Lead asked: Do you have evening classes?",
        "Lead said: I work until 6pm on weekdays.",
        "Lead decided: Ok great, sign me up for the Tuesday class.",
        "Lead asked: how do I pay for it",
      ].join("\n"),
    );
  });

  it("reads Spanish, French and German key sentences", () => {
    const summary = extractiveSummary({
      previous: null,
      messages: [lead("¿Cuánto cuesta el curso? Vale, de acuerdo, lo quiero."), lead("Je suis à Lyon jusqu'au 12 mai."), lead("Ich habe eine Frage: wann beginnt der Kurs?")],
    });
    expect(summary.split("\n")).toEqual([
      "Lead asked: ¿Cuánto cuesta el curso?",
      "Lead decided: Vale, de acuerdo, lo quiero.",
      "Lead said: Je suis à Lyon jusqu'au 12 mai.",
      "Lead asked: Ich habe eine Frage: wann beginnt der Kurs?",
    ]);
  });

  it("builds on the previous summary, never repeats a sentence, and gives the same answer for the same input", () => {
    const first = extractiveSummary({ previous: null, messages: [lead("My budget is $200. Do you ship to Canada?")] });
    const input = { previous: first, messages: [lead("Do you ship to Canada?"), lead("I need it before June 3.")] };
    const second = extractiveSummary(input);
    expect(second).toBe(["Lead said: My budget is $200.", "Lead asked: Do you ship to Canada?", "Lead said: I need it before June 3."].join("\n"));
    expect(extractiveSummary(input)).toBe(second);
    // Folding nothing new changes nothing.
    expect(extractiveSummary({ previous: second, messages: [us("Sure, we ship to Canada.")] })).toBe(second);
  });

  it("stays within SUMMARY_MAX_CHARS, dropping the oldest facts first and keeping decisions longest", () => {
    const messages = Array.from({ length: 60 }, (_, index) => lead(`I have ${index} cats at home in the city. What about order ${index}?`));
    messages.splice(3, 0, lead("I'll take the yearly plan."));
    const summary = extractiveSummary({ previous: null, messages });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(summary).toContain("Lead decided: I'll take the yearly plan.");
    expect(summary).not.toContain("Lead said:");
    expect(summary).toContain("Lead asked: What about order 59?");
    expect(summary).not.toContain("order 0?");
  });

  it("keeps the lines of a model's summary when it folds on top of one, dropping them first", () => {
    const previous = "Maria wants an evening class and has a $200 budget.";
    const summary = extractiveSummary({ previous, messages: [lead("Can I bring a friend?")] });
    expect(summary).toBe(`${previous}\nLead asked: Can I bring a friend?`);
  });

  it("cuts long sentences before a word and reads a 2 MB message to a fixed size", () => {
    const long = `I need ${"very ".repeat(200)}much help.`;
    const [sentence] = splitSentences(long);
    expect(sentence!.length).toBeLessThanOrEqual(SUMMARY_SENTENCE_MAX_CHARS);
    expect(sentence!.endsWith("very")).toBe(true);
    const huge = extractiveSummary({ previous: null, messages: [lead(`Do you open at 9? ${"a".repeat(2_000_000)}`)] });
    expect(huge).toBe("Lead asked: Do you open at 9?");
  });

  it("does not end a sentence inside a price, a decimal or a link", () => {
    expect(splitSentences("It was $1.50 at lumen.example/shop. Can I pay 2.5k?")).toEqual(["It was $1.50 at lumen.example/shop.", "Can I pay 2.5k?"]);
    expect(classifySentence("ok")).toBeNull();
    expect(classifySentence("Thanks!")).toBeNull();
  });
});

function generatorAnswering(answer: string | Error): TextGenerator & { prompts: ChatPrompt[]; options: GenerateOptions[] } {
  const prompts: ChatPrompt[] = [];
  const options: GenerateOptions[] = [];
  return {
    prompts,
    options,
    async generate(prompt, generateOptions) {
      prompts.push(prompt);
      options.push(generateOptions);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe("summarizeConversation", () => {
  const request = { brandName: "Lumen Yoga", previous: "Lead asked: Do you have evening classes?", messages: [lead("I work until 6pm."), us("We have a 7pm class.")] };

  it("asks the model to fold the new messages into the summary so far, and caps its answer", async () => {
    const generator = generatorAnswering(`Maria works until 6pm; we offered the 7pm class. ${"more ".repeat(400)}`);
    const result = await summarizeConversation({ ...request, generator });
    expect(result.source).toBe("model");
    expect(result.text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
    expect(result.text.startsWith("Maria works until 6pm")).toBe(true);
    expect(generator.options[0]).toEqual({ purpose: "summarize", maxOutputTokens: 350 });
    expect(generator.prompts[0]).toEqual(buildSummaryPrompt(request));
    const content = generator.prompts[0]!.turns[0]!.content;
    expect(content).toContain("Summary so far:\nLead asked: Do you have evening classes?");
    expect(content).toContain("Lead: I work until 6pm.\nLumen Yoga: We have a 7pm class.");
  });

  it("writes the extractive summary without a model, or when the model refuses the request for good", async () => {
    const keyless = await summarizeConversation({ ...request, generator: null });
    expect(keyless).toEqual({ source: "extractive", text: "Lead asked: Do you have evening classes?\nLead said: I work until 6pm." });
    const refused = await summarizeConversation({ ...request, generator: generatorAnswering(new GenerationError("the model server answered HTTP 400", false)) });
    expect(refused).toEqual(keyless);
  });

  it("throws when the model is down for now, so the job runs again later", async () => {
    const down = generatorAnswering(new GenerationError("the model server answered HTTP 503", true));
    await expect(summarizeConversation({ ...request, generator: down })).rejects.toMatchObject({ retryable: true });
  });
});
