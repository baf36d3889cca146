import { describe, expect, it } from "vitest";
import { historyWindow, SOURCE_TEXT_CHARS, sourceText } from "../../src/followup/draft-rules.ts";
import { MESSAGE_OVERHEAD_TOKENS, selectHistoryWindow, summaryIsBehind, type WindowMessage } from "../../src/memory/history-window.ts";

const start = new Date("2026-06-10T10:00:00Z").getTime();

function message(index: number, direction: WindowMessage["direction"], body: string): WindowMessage & { id: number } {
  return { id: index, direction, body, sentAt: new Date(start + index * 60_000) };
}

/** `count` messages of `chars` characters, lead and business taking turns, lead first. */
function conversation(count: number, chars: number) {
  return Array.from({ length: count }, (_, index) => message(index, index % 2 === 0 ? "inbound" : "outbound", `m${index} `.padEnd(chars, "y")));
}

const identity = (body: string) => body;

describe("selectHistoryWindow", () => {
  it("keeps the newest messages that fit the budget as one run, oldest first, and returns the rest as older", () => {
    // 40 characters = 10 tokens + 4 of framing = 14 per message: 7 fit 100 tokens (98).
    const history = conversation(20, 40);
    const { window, older } = selectHistoryWindow([...history].reverse(), { budgetTokens: 100, shownText: identity });
    expect(window.map((entry) => entry.id)).toEqual([13, 14, 15, 16, 17, 18, 19]);
    expect(older.map((entry) => entry.id)).toEqual(Array.from({ length: 13 }, (_, index) => index));
  });

  it("counts tokens, not messages: fewer long messages fit than short ones", () => {
    const short = selectHistoryWindow(conversation(50, 20), { budgetTokens: 500, shownText: identity });
    const long = selectHistoryWindow(conversation(50, 400), { budgetTokens: 500, shownText: identity });
    expect(short.window).toHaveLength(50);
    expect(long.window).toHaveLength(Math.floor(500 / (100 + MESSAGE_OVERHEAD_TOKENS)));
  });

  it("stops at the first message that does not fit, so no gap opens in the middle", () => {
    const history = [message(0, "inbound", "short"), message(1, "outbound", "z".repeat(4_000)), message(2, "inbound", "hi")];
    const { window } = selectHistoryWindow(history, { budgetTokens: 50, shownText: identity });
    expect(window.map((entry) => entry.id)).toEqual([2]);
  });

  it("always reaches back to the lead's latest message, even when it alone is over the budget", () => {
    const huge = message(5, "inbound", "w ".repeat(50_000));
    const history = [message(4, "outbound", "earlier"), huge, message(6, "outbound", "follow-up one"), message(7, "outbound", "follow-up two")];
    const { window, older } = selectHistoryWindow(history, { budgetTokens: 10, shownText: sourceText });
    expect(window.map((entry) => entry.id)).toEqual([5, 6, 7]);
    expect(older.map((entry) => entry.id)).toEqual([4]);
  });

  it("holds the newest message when the lead never wrote", () => {
    const history = [message(0, "outbound", "a".repeat(900)), message(1, "outbound", "b".repeat(900))];
    expect(selectHistoryWindow(history, { budgetTokens: 5, shownText: identity }).window.map((entry) => entry.id)).toEqual([1]);
  });

  it("is empty for an empty conversation", () => {
    expect(selectHistoryWindow([], { budgetTokens: 100, shownText: identity })).toEqual({ window: [], older: [] });
  });
});

describe("historyWindow (the prompt's window)", () => {
  it("measures messages as the model sees them: a huge lead email counts as SOURCE_TEXT_CHARS", () => {
    const email = message(1, "inbound", "word ".repeat(100_000));
    const { window } = historyWindow([message(0, "outbound", "Hello! How can we help?"), { ...email, channel: "email" as const }]);
    // The email costs about 2,000 tokens capped, so the greeting before it still fits 3,000.
    expect(sourceText(email.body).length).toBeLessThanOrEqual(SOURCE_TEXT_CHARS + 4);
    expect(window.map((entry) => entry.body.slice(0, 5))).toEqual(["Hello", "word "]);
  });
});

describe("summaryIsBehind", () => {
  const at = (minute: number) => new Date(start + minute * 60_000);
  it("is behind when a message left the window after what the summary covers", () => {
    expect(summaryIsBehind({ olderNewestAt: at(5), coversUntil: null })).toBe(true);
    expect(summaryIsBehind({ olderNewestAt: at(5), coversUntil: at(4) })).toBe(true);
    expect(summaryIsBehind({ olderNewestAt: at(5), coversUntil: at(5) })).toBe(false);
    expect(summaryIsBehind({ olderNewestAt: null, coversUntil: null })).toBe(false);
  });
});
