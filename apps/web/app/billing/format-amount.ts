// A fixed locale: the server and the browser must render the same text, or hydration breaks.
const LOCALE = "en-US";

/**
 * A payment's amount as the provider reports it (the currency's minor unit, e.g. cents; yen have
 * none), in that currency: 4900 usd -> "$49.00", 5000 jpy -> "¥5,000".
 */
export function formatAmount(amountMinor: number | null, currency: string | null): string {
  if (amountMinor === null) return "—";
  if (currency === null) return String(amountMinor);
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(LOCALE, { style: "currency", currency: currency.toUpperCase() });
  } catch {
    // A code Intl does not know: show the raw figures rather than fail the whole page.
    return `${amountMinor} ${currency.toUpperCase()}`;
  }
  const minorDigits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** minorDigits);
}
