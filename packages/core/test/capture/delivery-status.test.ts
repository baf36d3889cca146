import { describe, expect, it } from "vitest";
import {
  DELIVERY_STATUSES,
  nextDeliveryStatus,
  REPORTED_DELIVERY_STATUSES,
  type DeliveryStatus,
  type ReportedDeliveryStatus,
} from "../../src/capture/delivery-status.ts";

// Applies vendor reports in arrival order, as capture does one webhook after another.
const settle = (start: DeliveryStatus, reports: ReportedDeliveryStatus[]) => reports.reduce(nextDeliveryStatus, start);

describe("nextDeliveryStatus", () => {
  it("moves a sent message forward through delivered to read", () => {
    expect(settle("sent", ["delivered"])).toBe("delivered");
    expect(settle("sent", ["delivered", "read"])).toBe("read");
  });

  it("never moves back: a late delivered or sent after read, a sent after delivered, changes nothing", () => {
    expect(settle("sent", ["read", "delivered"])).toBe("read");
    expect(settle("sent", ["read", "sent"])).toBe("read");
    expect(settle("sent", ["delivered", "sent"])).toBe("delivered");
  });

  it("accepts failed after sent (WhatsApp refuses after accepting) but not after delivered or read", () => {
    expect(settle("sent", ["failed"])).toBe("failed");
    expect(settle("sent", ["delivered", "failed"])).toBe("delivered");
    expect(settle("sent", ["read", "failed"])).toBe("read");
  });

  it("keeps failed against a late sent, but a delivered or read from another of the lead's devices wins", () => {
    expect(settle("sent", ["failed", "sent"])).toBe("failed");
    expect(settle("sent", ["failed", "delivered"])).toBe("delivered");
    expect(settle("failed", ["read"])).toBe("read");
  });

  it("settles a pending or unconfirmed send with whatever the vendor reports", () => {
    for (const start of ["pending", "unconfirmed"] as const) {
      for (const reported of REPORTED_DELIVERY_STATUSES) expect(settle(start, [reported])).toBe(reported);
    }
  });

  it("gives the same status whatever order a report arrives twice in (idempotent for redeliveries)", () => {
    for (const start of DELIVERY_STATUSES) {
      for (const reported of REPORTED_DELIVERY_STATUSES) {
        expect(settle(start, [reported, reported])).toBe(settle(start, [reported]));
      }
    }
  });
});
