import { describe, expect, it } from "vitest";
import {
  inboundNeedsOwnerReason,
  NEEDS_OWNER_REASONS,
  strongerNeedsOwnerReason,
} from "../../src/needs-you/reasons.ts";

describe("strongerNeedsOwnerReason", () => {
  it("keeps a stronger reason already set and lets a stronger one replace a lesser one", () => {
    expect(strongerNeedsOwnerReason("unanswered_question", "wrote_while_paused")).toBe("unanswered_question");
    expect(strongerNeedsOwnerReason("unanswered_question", "send_failed")).toBe("unanswered_question");
    expect(strongerNeedsOwnerReason("wrote_after_sequence_ended", "send_failed")).toBe("send_failed");
    expect(strongerNeedsOwnerReason("wrote_while_paused", "unanswered_question")).toBe("unanswered_question");
  });

  it("takes the new reason when none is set and keeps the current one on a tie", () => {
    for (const reason of NEEDS_OWNER_REASONS) {
      expect(strongerNeedsOwnerReason(null, reason)).toBe(reason);
      expect(strongerNeedsOwnerReason(reason, reason)).toBe(reason);
    }
  });

  it("orders every pair one way only", () => {
    for (const a of NEEDS_OWNER_REASONS) {
      for (const b of NEEDS_OWNER_REASONS) {
        expect(strongerNeedsOwnerReason(a, b)).toBe(strongerNeedsOwnerReason(b, a));
      }
    }
  });
});

describe("inboundNeedsOwnerReason", () => {
  it("flags a paused lead whatever its status, except an opted-out one", () => {
    expect(inboundNeedsOwnerReason({ status: "replied", aiPaused: true })).toBe("wrote_while_paused");
    expect(inboundNeedsOwnerReason({ status: "lost", aiPaused: true })).toBe("wrote_while_paused");
    expect(inboundNeedsOwnerReason({ status: "opted_out", aiPaused: true })).toBeNull();
  });

  it("flags a converted or lost lead: their sequence ended", () => {
    expect(inboundNeedsOwnerReason({ status: "converted", aiPaused: false })).toBe("wrote_after_sequence_ended");
    expect(inboundNeedsOwnerReason({ status: "lost", aiPaused: false })).toBe("wrote_after_sequence_ended");
  });

  it("leaves leads in a running conversation to the AI", () => {
    for (const status of ["new", "contacted", "replied"] as const) {
      expect(inboundNeedsOwnerReason({ status, aiPaused: false })).toBeNull();
    }
  });
});
