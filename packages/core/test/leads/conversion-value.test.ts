import { describe, expect, it } from "vitest";
import { CONVERSION_VALUE_MAX_CHARS, currencyDigits, parseConversionValue } from "../../src/leads/conversion-value.ts";

describe("parseConversionValue", () => {
  it("reads a value into the currency's minor units, by the currency's own digits", () => {
    expect(parseConversionValue("1250.50", "EUR")).toEqual({ ok: true, valueMinor: 125050, currency: "EUR" });
    expect(parseConversionValue("1250.5", "usd")).toEqual({ ok: true, valueMinor: 125050, currency: "USD" });
    expect(parseConversionValue(" 99 ", "USD")).toEqual({ ok: true, valueMinor: 9900, currency: "USD" });
    expect(parseConversionValue("5000", "JPY")).toEqual({ ok: true, valueMinor: 5000, currency: "JPY" });
    expect(parseConversionValue("1.234", "KWD")).toEqual({ ok: true, valueMinor: 1234, currency: "KWD" });
    expect(parseConversionValue("0", "GBP")).toEqual({ ok: true, valueMinor: 0, currency: "GBP" });
  });

  it("refuses more decimals than the currency has, naming its limit", () => {
    expect(parseConversionValue("10.999", "USD")).toMatchObject({ ok: false, reason: "too_many_decimals", message: "USD has at most 2 decimals." });
    expect(parseConversionValue("5000.5", "JPY")).toMatchObject({ ok: false, reason: "too_many_decimals", message: "JPY has no decimals." });
  });

  it("refuses negative, signed, separated and exponent values, and unknown currencies", () => {
    for (const value of ["-5", "+5", "1,000", "1e3", "12.", ".5", "", "ten"]) {
      expect(parseConversionValue(value, "USD")).toMatchObject({ ok: false, reason: "not_a_number" });
    }
    for (const currency of ["XYZ", "US", "dollars", ""]) {
      expect(parseConversionValue("10", currency)).toMatchObject({ ok: false, reason: "unknown_currency" });
    }
  });

  it("refuses values too long to read or too large to keep exactly", () => {
    expect(parseConversionValue("9".repeat(CONVERSION_VALUE_MAX_CHARS + 1), "USD")).toMatchObject({ ok: false, reason: "too_large" });
    expect(parseConversionValue("1234567890123", "USD")).toMatchObject({ ok: false, reason: "too_large" });
    const largest = parseConversionValue("999999999999.99", "USD");
    expect(largest).toEqual({ ok: true, valueMinor: 99999999999999, currency: "USD" });
    if (largest.ok) expect(Number.isSafeInteger(largest.valueMinor)).toBe(true);
  });

  it("knows the minor digits of common currencies", () => {
    expect([currencyDigits("USD"), currencyDigits("JPY"), currencyDigits("KWD"), currencyDigits("EUR")]).toEqual([2, 0, 3, 2]);
  });
});
