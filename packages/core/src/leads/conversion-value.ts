// What a converted lead was worth, as the owner types it ("1250.50" in EUR), into the minor units
// the leads table keeps (125050). The currency's own digits decide the decimals: two for most, none
// for JPY, three for KWD (ISO 4217, as Intl knows it).

/** Longest value text read; anything longer is refused before any pattern runs. */
export const CONVERSION_VALUE_MAX_CHARS = 20;

/** Whole units at most: keeps every value, in minor units, an exact JavaScript number. */
const MAX_WHOLE_DIGITS = 12;

/** Used when the owner has never given a value with a currency. */
export const DEFAULT_CONVERSION_CURRENCY = "USD";

// One optional point, digits only: no signs, exponents or thousands separators (a "1,000" could be
// a thousand or one). Linear: no nested quantifiers.
const VALUE_SHAPE = /^(\d+)(?:\.(\d+))?$/;

export type ConversionValueRefusal = "unknown_currency" | "not_a_number" | "too_many_decimals" | "too_large";

export const CONVERSION_VALUE_REFUSALS: Record<ConversionValueRefusal, string> = {
  unknown_currency: "Choose a currency by its ISO 4217 code, e.g. USD or EUR.",
  not_a_number: "Write the value with digits and a point for decimals, e.g. 1250.50.",
  too_many_decimals: "That currency has fewer decimals.",
  too_large: "That value is too large.",
};

export type ParsedConversionValue = { ok: true; valueMinor: number; currency: string } | { ok: false; reason: ConversionValueRefusal; message: string };

/** The ISO 4217 codes this runtime knows, or null for anything else (Intl formats any 3 letters). */
function knownCurrency(code: string): string | null {
  const upper = code.trim().toUpperCase();
  return Intl.supportedValuesOf("currency").includes(upper) ? upper : null;
}

/** How many decimals the currency's minor unit has (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

function refuse(reason: ConversionValueRefusal, message = CONVERSION_VALUE_REFUSALS[reason]): ParsedConversionValue {
  return { ok: false, reason, message };
}

/** Reads a value typed by the owner (>= 0, at most the currency's decimals) into minor units. */
export function parseConversionValue(value: string, currency: string): ParsedConversionValue {
  const code = knownCurrency(currency.slice(0, 8));
  if (code === null) return refuse("unknown_currency");
  if (value.length > CONVERSION_VALUE_MAX_CHARS) return refuse("too_large");
  const match = VALUE_SHAPE.exec(value.trim());
  if (!match) return refuse("not_a_number");
  const whole = (match[1] ?? "").replace(/^0+(?=\d)/, "");
  const fraction = match[2] ?? "";
  const digits = currencyDigits(code);
  if (fraction.length > digits) {
    const allowed = digits === 0 ? `${code} has no decimals.` : `${code} has at most ${digits} decimal${digits === 1 ? "" : "s"}.`;
    return refuse("too_many_decimals", allowed);
  }
  if (whole.length > MAX_WHOLE_DIGITS) return refuse("too_large");
  return { ok: true, valueMinor: Number(whole + fraction.padEnd(digits, "0")), currency: code };
}
