import { describe, expect, it } from "vitest";
import { describeReplyEta, describeReplyPace } from "../../src/followup/reply-eta.ts";

const wrote = new Date("2026-06-10T12:00:00Z");
const after = (seconds: number) => new Date(wrote.getTime() + seconds * 1000);

describe("describeReplyEta", () => {
  it("gives the delay window while the debounce has not run yet (reply_due_at = message + 20 s)", () => {
    // The engine sends 20 s + 45..240 s after the lead's message: 65..260 s.
    expect(describeReplyEta({ dueAt: after(20), lastInboundAt: wrote, now: after(5) })).toBe("Replies in about 1-4 min");
    expect(describeReplyEta({ dueAt: after(20), lastInboundAt: wrote, now: after(100) })).toBe("Replies within 3 min");
  });

  it("gives the drawn time once the debounce run put the reply off", () => {
    expect(describeReplyEta({ dueAt: after(200), lastInboundAt: wrote, now: after(80) })).toBe("Replies in about 2 min");
    expect(describeReplyEta({ dueAt: after(200), lastInboundAt: wrote, now: after(170) })).toBe("Replies in under a minute");
  });

  it("says any moment now when the time has passed (a busy worker)", () => {
    expect(describeReplyEta({ dueAt: after(200), lastInboundAt: wrote, now: after(201) })).toBe("Reply expected any moment now");
    expect(describeReplyEta({ dueAt: after(20), lastInboundAt: wrote, now: after(260) })).toBe("Reply expected any moment now");
  });

  it("reads the due time alone when the lead's message is unknown", () => {
    expect(describeReplyEta({ dueAt: after(150), lastInboundAt: null, now: wrote })).toBe("Replies in about 3 min");
  });
});

describe("describeReplyPace", () => {
  it("says the engine's reply timing, which the delay window does not touch", () => {
    expect(describeReplyPace()).toBe(
      "Replies to a lead's message don't use it: they wait 20 seconds for more messages, then 45 seconds to 4 minutes, like a person typing, at any hour (quiet hours hold follow-ups, not replies).",
    );
  });
});
