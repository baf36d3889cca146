import { describe, expect, it } from "vitest";
import { FOLLOW_UP_POLICY } from "../../src/followup/defaults.ts";
import { buildReplyPrompt } from "../../src/followup/prompt.ts";
import { at, draftContext } from "./draft-fixtures.ts";

describe("buildReplyPrompt", () => {
  it("greets the lead by first name on the first message and carries brand voice, facts and knowledge", () => {
    const prompt = buildReplyPrompt(draftContext());
    expect(prompt.system).toContain('greeting them by their first name, "Maria"');
    expect(prompt.system).toContain("Lumen Yoga");
    expect(prompt.system).toContain("Warm and calm.");
    expect(prompt.system).toContain("goal: less back pain");
    expect(prompt.system).toContain("[1] The 8 week course\nThe 8 week course costs $149");
    expect(prompt.system).toMatch(/never invent/i);
    expect(prompt.system).toMatch(/no placeholders/i);
    expect(prompt.turns).toEqual([{ role: "user", content: "Hi! How much is the 8 week course?" }]);
  });

  it("does not invent a name it does not know", () => {
    const prompt = buildReplyPrompt(draftContext({ lead: { firstName: null, language: null, facts: {}, tags: [] } }));
    expect(prompt.system).toContain("you do not know their name, so do not guess one");
  });

  it("sizes the message for the channel", () => {
    expect(buildReplyPrompt(draftContext()).system).toContain("2-3 short sentences, at most 500 characters");
    const email = buildReplyPrompt(draftContext({ channel: "email" })).system;
    expect(email).toContain("at most 3 short paragraphs and 1500 characters");
    expect(email).toContain("no subject line");
    expect(buildReplyPrompt(draftContext({ voice: true })).system).toContain("14-20 second voice note: write 37-52 words");
  });

  it("writes in the lead's language: the fact first, else a guess from their messages", () => {
    expect(buildReplyPrompt(draftContext({ lead: { firstName: "Ana", language: "pt-BR", facts: {}, tags: [] } })).system).toContain(
      "Write in Portuguese.",
    );
    const spanish = draftContext({
      history: [{ direction: "inbound", body: "Hola, ¿cuánto cuesta el curso?", sentAt: at("2026-06-10T10:00:00Z"), channel: "instagram" }],
    });
    expect(buildReplyPrompt(spanish).system).toContain("Write in Spanish.");
    const unclear = draftContext({ history: [{ direction: "inbound", body: "👍", sentAt: at("2026-06-10T10:00:00Z"), channel: "instagram" }] });
    expect(buildReplyPrompt(unclear).system).toContain("Write in the language of the lead's last message.");
  });

  it("asks for the disclosure line in the lead's language when enabled", () => {
    const context = draftContext({ brand: { name: "Lumen Yoga", voiceRules: "", disclosureEnabled: true } });
    expect(buildReplyPrompt(context).system).toContain("End the message with this line, exactly: (Automated reply from Lumen Yoga's assistant)");
    expect(buildReplyPrompt(draftContext()).system).not.toContain("Automated reply");
  });

  it("describes a follow-up step", () => {
    const system = buildReplyPrompt(draftContext({ purpose: "follow_up", step: 2, isFirstOutbound: false })).system;
    expect(system).toContain("Write follow-up number 2");
    expect(system).toContain("use it naturally");
  });

  it("shows the newest messages that fit the token budget, oldest first, lead as user and business as assistant", () => {
    // 400 characters = 100 tokens + 4 of framing each: 28 of them fit 3,000 tokens.
    const history = Array.from({ length: 80 }, (_, index) => ({
      direction: index % 2 === 0 ? ("inbound" as const) : ("outbound" as const),
      body: `message ${String(index).padStart(2, "0")} `.padEnd(400, "x"),
      sentAt: new Date(at("2026-06-10T10:00:00Z").getTime() + index * 60_000),
      channel: "instagram" as const,
    })).reverse();
    const turns = buildReplyPrompt(draftContext({ history })).turns;
    expect(FOLLOW_UP_POLICY.historyTokenBudget).toBe(3_000);
    expect(turns).toHaveLength(28);
    expect(turns[0]).toEqual({ role: "user", content: expect.stringMatching(/^message 52 /) });
    expect(turns.at(-1)).toEqual({ role: "assistant", content: expect.stringMatching(/^message 79 /) });
  });

  it("renders the conversation summary as what came earlier, and nothing when there is none", () => {
    const summary = "Lead asked: Do you have evening classes?\nLead said: I work until 6pm on weekdays.";
    const system = buildReplyPrompt(draftContext({ conversationSummary: summary })).system;
    expect(system).toContain(`Earlier in this conversation:\n${summary}`);
    expect(buildReplyPrompt(draftContext()).system).not.toContain("Earlier in this conversation");
    expect(buildReplyPrompt(draftContext({ conversationSummary: "  " })).system).not.toContain("Earlier in this conversation");
  });

  it("lists the previous draft's problems for the retry", () => {
    const system = buildReplyPrompt(draftContext(), ["It contains a template placeholder."]).system;
    expect(system).toContain("Your previous draft was rejected because:\n- It contains a template placeholder.");
  });
});
