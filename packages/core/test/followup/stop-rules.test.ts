import { describe, expect, it } from "vitest";
import { nextLeadStatus, stopReason, type LeadStatus, type StopRuleInput } from "../../src/followup/stop-rules.ts";

const at = (iso: string) => new Date(iso);
const step: StopRuleInput = {
  kind: "step",
  status: "contacted",
  optedOut: false,
  aiPaused: false,
  needsOwner: false,
  stepNumber: 1,
  maxSteps: 3,
  followUpBlock: null,
  lastInboundAt: at("2026-06-10T10:00:00Z"),
  lastOutboundAt: at("2026-06-10T10:02:00Z"),
};
const reply: StopRuleInput = { ...step, kind: "reply", stepNumber: 0, status: "new", lastOutboundAt: null };

describe("stopReason", () => {
  it("lets a due step and a fresh reply go ahead", () => {
    expect(stopReason(step)).toBeNull();
    expect(stopReason(reply)).toBeNull();
  });

  it("stops everything for an opted-out lead, by fact or by status", () => {
    expect(stopReason({ ...step, optedOut: true })).toBe("opted_out");
    expect(stopReason({ ...reply, status: "opted_out" })).toBe("opted_out");
  });

  it("stops a converted lead", () => {
    expect(stopReason({ ...step, status: "converted" })).toBe("converted");
    expect(stopReason({ ...reply, status: "converted" })).toBe("converted");
  });

  it("stops while the owner has paused the AI", () => {
    expect(stopReason({ ...reply, aiPaused: true })).toBe("paused");
  });

  it("holds follow-up steps while the lead waits for the owner's answer, and still answers the lead's new message", () => {
    expect(stopReason({ ...step, needsOwner: true })).toBe("waiting_for_owner");
    expect(stopReason({ ...reply, needsOwner: true })).toBeNull();
    // Nothing to answer stays nothing to answer: the flag adds no reply.
    expect(stopReason({ ...reply, needsOwner: true, lastOutboundAt: at("2026-06-10T10:01:00Z") })).toBe("nothing_to_answer");
  });

  it("names the hold 'Mark as handled' cannot lift before the wait for the owner", () => {
    expect(stopReason({ ...step, needsOwner: true, aiPaused: true })).toBe("paused");
    expect(stopReason({ ...reply, needsOwner: true, aiPaused: true })).toBe("paused");
    expect(stopReason({ ...step, needsOwner: true, followUpBlock: "trial ended" })).toBe("plan_blocked");
    expect(stopReason({ ...step, needsOwner: true, status: "converted" })).toBe("converted");
  });

  it("ends or hands over the sequence before waiting for the owner", () => {
    expect(stopReason({ ...step, needsOwner: true, status: "lost" })).toBe("lead_lost");
    expect(stopReason({ ...step, needsOwner: true, lastInboundAt: at("2026-06-10T11:00:00Z") })).toBe("lead_replied");
    expect(stopReason({ ...step, needsOwner: true, stepNumber: 4 })).toBe("sequence_finished");
  });

  it("stops when the plan blocks sending", () => {
    expect(stopReason({ ...step, followUpBlock: "trial ended" })).toBe("plan_blocked");
  });

  it("stops after the last step", () => {
    expect(stopReason({ ...step, stepNumber: 3 })).toBeNull();
    expect(stopReason({ ...step, stepNumber: 4 })).toBe("sequence_finished");
  });

  it("stops steps for a lost lead but answers them when they write again", () => {
    expect(stopReason({ ...step, status: "lost" })).toBe("lead_lost");
    expect(stopReason({ ...reply, status: "lost", lastOutboundAt: at("2026-06-01T00:00:00Z") })).toBeNull();
  });

  it("leaves a step to the reply job when the lead wrote after our last message", () => {
    expect(stopReason({ ...step, lastInboundAt: at("2026-06-10T11:00:00Z") })).toBe("lead_replied");
  });

  it("sends no reply when the latest message is already ours", () => {
    expect(stopReason({ ...reply, lastOutboundAt: at("2026-06-10T10:01:00Z") })).toBe("nothing_to_answer");
    expect(stopReason({ ...reply, lastInboundAt: null })).toBe("nothing_to_answer");
  });

  it("puts opt-out before every other reason", () => {
    expect(stopReason({ ...step, optedOut: true, status: "converted", aiPaused: true, followUpBlock: "x", stepNumber: 9 })).toBe("opted_out");
  });
});

describe("nextLeadStatus", () => {
  it("follows new -> contacted -> replied -> converted", () => {
    let status: LeadStatus = "new";
    status = nextLeadStatus(status, "inbound_received");
    expect(status).toBe("new");
    status = nextLeadStatus(status, "outbound_sent");
    expect(status).toBe("contacted");
    status = nextLeadStatus(status, "inbound_received");
    expect(status).toBe("replied");
    status = nextLeadStatus(status, "outbound_sent");
    expect(status).toBe("replied");
    expect(nextLeadStatus(status, "converted")).toBe("converted");
  });

  it("marks an unanswered finished sequence lost, and a lost lead who writes replied", () => {
    expect(nextLeadStatus("contacted", "sequence_finished")).toBe("lost");
    expect(nextLeadStatus("replied", "sequence_finished")).toBe("lost");
    expect(nextLeadStatus("lost", "inbound_received")).toBe("replied");
  });

  it("never leaves opted_out, and converted only for opted_out", () => {
    for (const event of ["outbound_sent", "inbound_received", "sequence_finished", "converted"] as const) {
      expect(nextLeadStatus("opted_out", event)).toBe("opted_out");
      expect(nextLeadStatus("converted", event)).toBe("converted");
    }
    expect(nextLeadStatus("converted", "opted_out")).toBe("opted_out");
    expect(nextLeadStatus("new", "opted_out")).toBe("opted_out");
  });
});
