import { describe, expect, it } from "vitest";
import { formatAmount } from "../../app/billing/format-amount.ts";

describe("formatAmount", () => {
  it("shows minor units in the payment's currency", () => {
    expect(formatAmount(4900, "usd")).toBe("$49.00");
    expect(formatAmount(19900, "EUR")).toBe("€199.00");
    expect(formatAmount(123456, "gbp")).toBe("£1,234.56");
  });

  it("does not divide currencies without minor units", () => {
    expect(formatAmount(5000, "jpy")).toBe("¥5,000");
  });

  it("shows a dash for an event without an amount, and raw figures for an unknown currency", () => {
    expect(formatAmount(null, "usd")).toBe("—");
    expect(formatAmount(4900, null)).toBe("4900");
    expect(formatAmount(4900, "not-a-code")).toBe("4900 NOT-A-CODE");
  });
});
