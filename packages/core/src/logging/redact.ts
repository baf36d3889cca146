export const REDACTED = "[redacted]";

/** Field names whose values are credentials whatever they contain. */
export const SECRET_KEY = /token|secret|password|authorization|cookie|api[-_]?key|signature/i;

// Deep structures are cut off rather than walked: a log line is not a heap dump.
const MAX_DEPTH = 8;

// user:password@ in any URL (a connection string in a driver error, a webhook URL), even when
// the password was never registered as a secret.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

export interface Redactor {
  string(text: string): string;
  /** Serializes fields to plain JSON values with secrets and secret-named keys replaced. */
  fields(fields: Record<string, unknown>): Record<string, unknown>;
}

export function redactor(secrets: readonly string[]): Redactor {
  const pattern = secretPattern(secrets);
  const string = (text: string): string => {
    const scrubbed = text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
    return pattern ? scrubbed.replace(pattern, REDACTED) : scrubbed;
  };

  const value = (input: unknown, depth: number, ancestors: Set<object>): unknown => {
    switch (typeof input) {
      case "string":
        return string(input);
      case "bigint":
        return input.toString();
      case "symbol":
        return string(input.toString());
      case "function":
        return `[function ${input.name || "anonymous"}]`;
      case "object":
        break;
      default:
        return input;
    }
    if (input === null) return null;
    if (input instanceof Date) return Number.isNaN(input.getTime()) ? "Invalid Date" : input.toISOString();
    if (ancestors.has(input)) return "[circular]";
    if (depth >= MAX_DEPTH) return "[truncated]";

    ancestors.add(input);
    try {
      return structure(input, depth + 1, ancestors);
    } finally {
      ancestors.delete(input);
    }
  };

  const entries = (pairs: Iterable<[string, unknown]>, depth: number, ancestors: Set<object>) => {
    const out: Record<string, unknown> = {};
    for (const [key, item] of pairs) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : value(item, depth, ancestors);
    }
    return out;
  };

  const structure = (input: object, depth: number, ancestors: Set<object>): unknown => {
    if (input instanceof Error) {
      // name, message and stack are not enumerable; extra props (pg's `code`) and `cause` are kept.
      const base = { name: input.name, message: input.message, stack: input.stack };
      const cause = "cause" in input && input.cause !== undefined ? { cause: input.cause } : {};
      return entries(Object.entries({ ...base, ...input, ...cause }), depth, ancestors);
    }
    if (ArrayBuffer.isView(input)) return `[${input.byteLength} bytes]`;
    if (Array.isArray(input)) return input.map((item) => value(item, depth, ancestors));
    if (input instanceof Set) return [...input].map((item) => value(item, depth, ancestors));
    if (input instanceof Map) {
      return entries([...input].map(([key, item]) => [String(key), item] as [string, unknown]), depth, ancestors);
    }
    if ("toJSON" in input && typeof input.toJSON === "function") {
      return value(input.toJSON(), depth, ancestors);
    }
    return entries(Object.entries(input), depth, ancestors);
  };

  return {
    string,
    fields: (fields) => entries(Object.entries(fields), 0, new Set()),
  };
}

function secretPattern(secrets: readonly string[]): RegExp | null {
  // A secret may also appear percent-encoded, as it does inside a connection string.
  const variants = new Set(secrets.filter((s) => s.length > 0).flatMap((s) => [s, encodeURIComponent(s)]));
  if (variants.size === 0) return null;
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join("|"), "g");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
