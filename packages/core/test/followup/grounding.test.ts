import { describe, expect, it } from "vitest";
import { draftMessage } from "../../src/followup/draft.ts";
import { faqChunk } from "../../src/knowledge/chunk-text.ts";
import { findKnowledgeFor, knowledgeQueryFor, NEEDS_OWNER_DETAIL_MAX_CHARS, pendingLeadWords, unansweredQuestion } from "../../src/followup/grounding.ts";
import { parseGroundedReply } from "../../src/followup/grounded-reply.ts";
import { answerFromKnowledge, looksLikeQuestion } from "../../src/followup/knowledge-answer.ts";
import type { HistoryMessage } from "../../src/followup/draft-context.ts";
import type { KnowledgePassage, KnowledgeSource } from "../../src/followup/ports.ts";
import { buildReplyPrompt } from "../../src/followup/prompt.ts";
import { at, draftContext, groundedAnswer, passage, scriptedGenerator } from "./draft-fixtures.ts";

const inbound = (body: string, iso: string): HistoryMessage => ({ direction: "inbound", body, sentAt: at(iso), channel: "instagram" });
const outbound = (body: string, iso: string): HistoryMessage => ({ direction: "outbound", body, sentAt: at(iso), channel: "instagram" });

const faq = (question: string, answer: string, title = question) => passage(faqChunk(question, answer).content, title);

// A small shop's knowledge, as search returns it (FAQ pairs as core chunks them, and prose).
const SHIPPING = faq("Do you ship to Canada?", "Yes, we ship to Canada in 5-7 business days for $15. Orders over $120 ship free.");
const RETURNS = faq("Can I return a dress?", "Returns are free within 30 days; the label is in the parcel.");
const HOURS = passage(
  "# Opening hours\nThe shop in Alfama opens Monday to Saturday, 10:00 to 19:00. On Sundays we are closed. Public holidays follow the Sunday hours.",
  "Visiting the shop",
);
const PAYMENT = passage("We accept Visa, Mastercard, PayPal and Klarna. Klarna splits a purchase into three payments without interest.", "Payment");

describe("what the knowledge is searched for", () => {
  it("is every line the lead wrote since our last message, and only their latest one when we spoke last", () => {
    const history = [
      inbound("Hi!", "2026-06-10T10:00:00Z"),
      outbound("Hi Maria, how can I help?", "2026-06-10T10:01:00Z"),
      inbound("do you ship to canada", "2026-06-10T10:02:00Z"),
      inbound("and how long does it take?", "2026-06-10T10:02:30Z"),
    ];
    expect(knowledgeQueryFor(history)).toBe("do you ship to canada\nand how long does it take?");
    expect(knowledgeQueryFor([...history, outbound("We do!", "2026-06-10T10:03:00Z")])).toBe("and how long does it take?");
  });

  it("keeps the newest words when a burst is longer than search reads", () => {
    const history = [inbound("x".repeat(5_000), "2026-06-10T10:00:00Z"), inbound("what are your opening hours?", "2026-06-10T10:01:00Z")];
    expect(knowledgeQueryFor(history)).toBe("what are your opening hours?");
    expect(pendingLeadWords([inbound("word ".repeat(2_000), "2026-06-10T10:00:00Z")], 100).length).toBeLessThanOrEqual(100);
  });

  it("asks the port for the first FOLLOW_UP_POLICY.knowledgeLimit passages, and not at all when the lead said nothing", async () => {
    const asked: Array<{ userId: string; query: string; limit: number }> = [];
    const source: KnowledgeSource = {
      async findPassages(request) {
        asked.push(request);
        return [SHIPPING];
      },
    };
    expect(await findKnowledgeFor(source, { userId: "u1", history: [inbound("shipping to canada?", "2026-06-10T10:00:00Z")] })).toEqual([SHIPPING]);
    expect(await findKnowledgeFor(source, { userId: "u1", history: [inbound("   ", "2026-06-10T10:00:00Z")] })).toEqual([]);
    expect(asked).toEqual([{ userId: "u1", query: "shipping to canada?", limit: 5 }]);
  });

  it("keeps the unanswered question for the owner, capped", () => {
    expect(unansweredQuestion([inbound("Do you sell surfboards?", "2026-06-10T10:00:00Z")])).toEqual({
      reason: "unanswered_question",
      detail: "Do you sell surfboards?",
    });
    const long = unansweredQuestion([inbound(`${"please ".repeat(100)}do you sell surfboards?`, "2026-06-10T10:00:00Z")]);
    expect(long.detail.length).toBeLessThanOrEqual(NEEDS_OWNER_DETAIL_MAX_CHARS);
  });
});

describe("the prompt's sources", () => {
  it("numbers the passages [1]..[n] with their titles, and tells the model to answer only from them", () => {
    const { system } = buildReplyPrompt(draftContext({ knowledge: [SHIPPING, HOURS, PAYMENT] }));
    expect(system).toContain(`[1] Do you ship to Canada?\n${SHIPPING.text}`);
    expect(system).toContain(`[2] Visiting the shop\n${HOURS.text}`);
    expect(system).toContain(`[3] Payment\n${PAYMENT.text}`);
    expect(system).not.toContain("[4]");
    expect(system).toContain("only from the numbered sources");
    expect(system).toContain("set covered to false");
  });

  it("shows at most five sources", () => {
    const many = Array.from({ length: 8 }, (_, index) => passage(`Passage number ${index + 1}.`, `Title ${index + 1}`));
    const { system } = buildReplyPrompt(draftContext({ knowledge: many }));
    expect(system).toContain("[5] Title 5");
    expect(system).not.toContain("[6]");
  });

  it("says there are none when search found nothing", () => {
    expect(buildReplyPrompt(draftContext({ knowledge: [] })).system).toContain("Sources: none.");
  });

  it("asks follow-ups for no verdict", () => {
    const { system } = buildReplyPrompt(draftContext({ purpose: "follow_up", step: 1, isFirstOutbound: false }));
    expect(system).toContain("only from the numbered sources");
    expect(system).not.toContain("covered");
  });
});

describe("the model's verdict", () => {
  it("reads the schema's object and nothing else", () => {
    expect(parseGroundedReply('{"message":"Hi!","covered":true}')).toEqual({ message: "Hi!", covered: true });
    expect(parseGroundedReply("Hi! [covered: no]")).toBeNull();
    expect(parseGroundedReply('{"message":"Hi!"}')).toBeNull();
    expect(parseGroundedReply('{"message":"Hi!","covered":"false"}')).toBeNull();
    expect(parseGroundedReply(`{"message":"${"a".repeat(20_000)}","covered":true}`)).toBeNull();
  });

  it("flags the lead when the model says the sources did not cover the question", async () => {
    const context = draftContext({ knowledge: [SHIPPING], history: [inbound("Do you sell surfboards?", "2026-06-10T10:00:00Z")] });
    const generator = scriptedGenerator([groundedAnswer("Hi Maria! Good question, I'll check with the team and get back to you.", false)]);
    const draft = await draftMessage({ ...context, generator });
    expect(draft.needsOwner).toEqual({ reason: "unanswered_question", detail: "Do you sell surfboards?" });
  });

  it("retries once when the answer is not the object, then gives up", async () => {
    const generator = scriptedGenerator(["Hi Maria! It's $149.", groundedAnswer("Hi Maria! It's $149.")]);
    const draft = await draftMessage({ ...draftContext(), generator });
    expect(draft.text).toBe("Hi Maria! It's $149.");
    expect(generator.prompts[1]?.system).toContain("not the JSON object asked for");
    await expect(draftMessage({ ...draftContext(), generator: scriptedGenerator(["plain", "text"]) })).rejects.toMatchObject({ name: "DraftRejectedError" });
  });

  it("allows a price or link only when a source passage (or the conversation) has it", async () => {
    const context = draftContext({ knowledge: [SHIPPING], history: [inbound("Do you ship to Canada?", "2026-06-10T10:00:00Z")] });
    const ok = await draftMessage({ ...context, generator: scriptedGenerator([groundedAnswer("Hi Maria! Yes, for $15, free over $120.")]) });
    expect(ok.text).toContain("$15");
    const invented = scriptedGenerator([groundedAnswer("Hi Maria! Yes, for $12 at https://shop.example/ca."), groundedAnswer("Hi Maria! Yes, for $9.")]);
    const rejected = await draftMessage({ ...context, generator: invented }).catch((error: unknown) => error);
    expect(rejected).toMatchObject({ name: "DraftRejectedError" });
    expect(invented.prompts[1]?.system).toContain("https://shop.example/ca");
    expect(invented.prompts[1]?.system).toContain("$12");
  });
});

describe("the sandbox composer answers from knowledge", () => {
  const knowledge: KnowledgePassage[] = [SHIPPING, RETURNS, HOURS, PAYMENT];
  const ask = (question: string, passages: KnowledgePassage[] = knowledge) => answerFromKnowledge(question, passages, 400);

  it.each([
    ["do you guys ship to canada?", SHIPPING],
    ["shiping to canda??", SHIPPING],
    ["SHIPPING TO CANADA", SHIPPING],
    ["can i return a dress i didnt like", RETURNS],
    ["returns?", RETURNS],
    ["klarna?", PAYMENT],
    ["is the shop open on sundays", HOURS],
  ])("%s", (question, expected) => {
    // Search ranks the answering passage high, not always first.
    const others = knowledge.filter((candidate) => candidate !== expected);
    expect(ask(question, [others[0] as KnowledgePassage, expected, ...others.slice(1)])?.passage).toBe(expected);
  });

  it("answers an FAQ with its answer and prose with its best sentences", () => {
    expect(ask("do you ship to canada")?.answer).toBe("Yes, we ship to Canada in 5-7 business days for $15. Orders over $120 ship free.");
    expect(ask("are you open on sundays?", [HOURS])?.answer).toBe("The shop in Alfama opens Monday to Saturday, 10:00 to 19:00. On Sundays we are closed.");
    expect(ask("holidays?", [HOURS])?.answer).toBe("Public holidays follow the Sunday hours.");
  });

  it("reads the best-covered of the top passages, not only the first", () => {
    expect(ask("do you accept paypal", [HOURS, PAYMENT])?.passage).toBe(PAYMENT);
  });

  it("does not answer what the passages are not about", () => {
    expect(ask("do you sell surfboards?")).toBeNull();
    expect(ask("can I bring my dog")).toBeNull();
    expect(ask("hello!")).toBeNull();
    expect(ask("do you ship to canada", [])).toBeNull();
  });

  it("fits the answer to the room it has, cutting at a sentence", () => {
    const answer = answerFromKnowledge("do you ship to canada", [SHIPPING], 60)?.answer;
    expect(answer).toBe("Yes, we ship to Canada in 5-7 business days for $15.");
  });

  it("tells questions from other messages", () => {
    expect(looksLikeQuestion("do you ship to canada")).toBe(true);
    expect(looksLikeQuestion("¿Hacen envíos a Canadá?")).toBe(true);
    expect(looksLikeQuestion("Quanto custa o envio")).toBe(true);
    expect(looksLikeQuestion("thanks, see you tomorrow")).toBe(false);
  });

  it("writes the answer in the reply, labelled, greeting the lead, and passes the draft check", async () => {
    const context = draftContext({ knowledge, history: [inbound("hey, do u ship to canada?", "2026-06-10T10:00:00Z")] });
    const draft = await draftMessage({ ...context, generator: null });
    expect(draft).toEqual({
      text: "[Sandbox AI] Hi Maria! Yes, we ship to Canada in 5-7 business days for $15. Orders over $120 ship free. Anything else Lumen Yoga can help with?",
      source: "sandbox",
      needsOwner: null,
    });
  });

  it("says the team will get back, and flags the lead, when no passage answers the question", async () => {
    const context = draftContext({ knowledge, history: [inbound("Do you sell surfboards?", "2026-06-10T10:00:00Z")] });
    const draft = await draftMessage({ ...context, generator: null });
    expect(draft.text).toBe("[Sandbox AI] Hi Maria! Good question! I'm checking with the team and we'll get back to you soon.");
    expect(draft.needsOwner).toEqual({ reason: "unanswered_question", detail: "Do you sell surfboards?" });
  });

  it("flags in the lead's language too", async () => {
    const context = draftContext({ knowledge: [], history: [inbound("Hola, ¿venden tablas de surf?", "2026-06-10T10:00:00Z")] });
    const draft = await draftMessage({ ...context, generator: null });
    expect(draft.text).toContain("te respondemos pronto");
    expect(draft.needsOwner?.detail).toBe("Hola, ¿venden tablas de surf?");
  });

  it("does not quote a passage the draft check would refuse; the owner answers instead", async () => {
    const unfinished = faq("Do you ship to Canada?", "Yes, rates are {rate} TBD.");
    const context = draftContext({ knowledge: [unfinished], history: [inbound("do you ship to canada?", "2026-06-10T10:00:00Z")] });
    const draft = await draftMessage({ ...context, generator: null });
    expect(draft.text).toContain("we'll get back to you soon");
    expect(draft.needsOwner).not.toBeNull();
  });

  it("never flags a follow-up or a message that asks nothing", async () => {
    const followUp = await draftMessage({ ...draftContext({ knowledge: [], purpose: "follow_up", step: 1, isFirstOutbound: false }), generator: null });
    expect(followUp.needsOwner).toBeNull();
    const thanks = await draftMessage({ ...draftContext({ knowledge: [], history: [inbound("thanks a lot", "2026-06-10T10:00:00Z")] }), generator: null });
    expect(thanks.needsOwner).toBeNull();
  });
});
