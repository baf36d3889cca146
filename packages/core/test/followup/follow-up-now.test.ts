import { describe, expect, it } from "vitest";
import { FOLLOW_UP_BLOCK_MESSAGES, LEAD_FOLLOW_UP_BLOCK_NOTES } from "../../src/billing/plans.ts";
import { followUpNowVerdict, leadFollowUpBlock, type FollowUpNowInput } from "../../src/followup/follow-up-now.ts";

const now = new Date("2026-06-10T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

function input(overrides: Partial<FollowUpNowInput["lead"]> = {}, rest: Partial<Omit<FollowUpNowInput, "lead">> = {}): FollowUpNowInput {
  return {
    lead: {
      status: "contacted",
      optedOut: false,
      aiPaused: false,
      needsOwner: false,
      blockedReason: null,
      lastInboundAt: hoursAgo(3),
      lastOutboundAt: hoursAgo(2),
      ...overrides,
    },
    account: { plan: "growth", leadsUsed: 10, trialExpiresAt: null },
    step: 1,
    maxSteps: 3,
    now,
    ...rest,
  };
}

describe("followUpNowVerdict", () => {
  it("allows a step of a lead the AI answered last, on an active plan", () => {
    expect(followUpNowVerdict(input())).toEqual({ allowed: true });
  });

  it("refuses a converted lead (the API used to send to them)", () => {
    expect(followUpNowVerdict(input({ status: "converted" }))).toEqual({
      allowed: false,
      reason: "converted",
      message: "No follow-ups: this lead has converted.",
    });
  });

  it("refuses with the plan's words once the trial or the plan has ended", () => {
    const trialOver = input({}, { account: { plan: "trial", leadsUsed: 3, trialExpiresAt: hoursAgo(1) } });
    expect(followUpNowVerdict(trialOver)).toEqual({ allowed: false, reason: "plan_blocked", message: FOLLOW_UP_BLOCK_MESSAGES.trial_expired });
    const expired = input({}, { account: { plan: "expired", leadsUsed: 3, trialExpiresAt: null } });
    expect(followUpNowVerdict(expired)).toMatchObject({ reason: "plan_blocked", message: FOLLOW_UP_BLOCK_MESSAGES.plan_expired });
  });

  it("keeps follow-ups for leads admitted before the lead limit, refuses a lead captured past it", () => {
    const atLimit = { account: { plan: "starter" as const, leadsUsed: 100, trialExpiresAt: null } };
    expect(followUpNowVerdict(input({}, atLimit))).toEqual({ allowed: true });
    expect(followUpNowVerdict(input({ blockedReason: "lead_limit_reached" }, atLimit))).toEqual({
      allowed: false,
      reason: "plan_blocked",
      message: LEAD_FOLLOW_UP_BLOCK_NOTES.lead_limit_reached,
    });
  });

  it("refuses a step past the end of the sequence and a lead whose message is unanswered, as the engine stops them", () => {
    expect(followUpNowVerdict(input({}, { step: 4, maxSteps: 3 }))).toMatchObject({ allowed: false, reason: "sequence_finished" });
    expect(followUpNowVerdict(input({ lastInboundAt: hoursAgo(1) }))).toMatchObject({ allowed: false, reason: "lead_replied" });
    expect(followUpNowVerdict(input({ status: "lost" }))).toMatchObject({ allowed: false, reason: "lead_lost" });
  });

  it("names the most final reason first: opted out over paused over the plan over waiting for the owner", () => {
    const trialOver = { account: { plan: "trial" as const, leadsUsed: 3, trialExpiresAt: hoursAgo(1) } };
    expect(followUpNowVerdict(input({ optedOut: true, aiPaused: true }, trialOver))).toMatchObject({ reason: "opted_out" });
    expect(followUpNowVerdict(input({ aiPaused: true, needsOwner: true }, trialOver))).toMatchObject({ reason: "paused" });
    expect(followUpNowVerdict(input({ needsOwner: true }, trialOver))).toMatchObject({ reason: "plan_blocked" });
    expect(followUpNowVerdict(input({ needsOwner: true }))).toMatchObject({ reason: "waiting_for_owner", message: expect.stringContaining("Follow-ups wait for you") });
  });
});

describe("leadFollowUpBlock", () => {
  it("keeps a lead's own block, adds the account's ended trial or plan, and treats a missing account as no plan", () => {
    expect(leadFollowUpBlock("trial_expired", { plan: "pro", leadsUsed: 0, trialExpiresAt: null }, now)).toBe("trial_expired");
    expect(leadFollowUpBlock(null, { plan: "trial", leadsUsed: 0, trialExpiresAt: now }, now)).toBe("trial_expired");
    expect(leadFollowUpBlock(null, { plan: "pro", leadsUsed: 5000, trialExpiresAt: null }, now)).toBeNull();
    expect(leadFollowUpBlock(null, null, now)).toBe("plan_expired");
  });
});
