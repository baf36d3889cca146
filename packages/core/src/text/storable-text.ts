// What Postgres can store. Its text and jsonb types refuse the NUL character and (in jsonb, as
// \ud800 escapes) lone UTF-16 surrogates, so one such character anywhere in a delivery failed the
// whole capture transaction (or billing's), on every retry. Everything capture and billing store from
// outside passes through here first.

/**
 * Where a raw payload is cut for the audit copy: deeper than any payload Meta, Stripe or Lemon
 * Squeezy documents.
 */
export const RAW_ENTRY_DEPTH_LIMIT = 32;

const REPLACEMENT = "\uFFFD";

/** The text without NUL characters, each lone surrogate replaced by U+FFFD (paired ones are kept). */
export function storableText(text: string): string {
  return text.replaceAll("\u0000", "").replace(/\p{Cs}/gu, REPLACEMENT);
}

/**
 * A copy of a parsed JSON value that Postgres accepts as jsonb: every string and key made
 * storable, and anything nested deeper than `depthLimit` replaced by a marker (the audit copy
 * keeps what a person could read; JSON.stringify would overflow the stack on 500,000 levels).
 */
export function storableJson(value: unknown, depthLimit = RAW_ENTRY_DEPTH_LIMIT): unknown {
  if (typeof value === "string") return storableText(value);
  if (value === null || typeof value !== "object") return value;
  if (depthLimit <= 0) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((item) => storableJson(item, depthLimit - 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item, depthLimit - 1)]),
  );
}
