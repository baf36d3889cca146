export const REDACTED = "[redacted]";
export const EMAIL_REDACTED = "[email]";
export const PHONE_REDACTED = "[phone]";

/** Field names whose values are credentials whatever they contain. */
export const SECRET_KEY = /token|secret|password|authorization|cookie|api[-_]?key|signature/i;

/** Longer strings are cut here: a log line is not a copy of a 1 MB email. */
export const MAX_LOGGED_STRING_LENGTH = 4_000;

// Deep structures are cut off rather than walked: a log line is not a heap dump.
const MAX_DEPTH = 8;

// What a Postgres error quotes from the data it failed on (the row that broke a constraint, the
// JSON that did not parse, the statement inside a function): a lead's message text or address.
const DATA_QUOTING_ERROR_KEYS = new Set(["detail", "where", "internalQuery", "parameters"]);

export interface Redactor {
  string(text: string): string;
  /** Serializes fields to plain JSON values with secrets and secret-named keys replaced. */
  fields(fields: Record<string, unknown>): Record<string, unknown>;
}

// Every scan below is a single left-to-right pass (no regular expression over logged text), so a
// hostile string costs time in proportion to its (capped) length.

const isAsciiLetterOrDigit = (code: number) => (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
const isDigit = (code: number) => code >= 48 && code <= 57;
const isWordCode = (code: number) => isAsciiLetterOrDigit(code) || code === 95; // _
// The local-part characters addresses use in practice (not "=" or "/", which end a URL's query value).
const isLocalPartCode = (code: number) => isAsciiLetterOrDigit(code) || code === 46 || code === 95 || code === 37 || code === 43 || code === 45; // . _ % + -
const isDomainCode = (code: number) => isAsciiLetterOrDigit(code) || code === 46 || code === 45; // . -

/** Length of the "@" (or percent-encoded "%40") at `index`, 0 if there is none. */
function atSignLength(text: string, index: number): number {
  if (text.charCodeAt(index) === 64) return 1;
  if (text.charCodeAt(index) === 37 && text.charCodeAt(index + 1) === 52 && text.charCodeAt(index + 2) === 48) return 3;
  return 0;
}

/** Where the domain after an "@" ends, or -1 when it is not a dotted domain with a letter TLD. */
function domainEnd(text: string, from: number): number {
  let end = from;
  while (end < text.length && isDomainCode(text.charCodeAt(end))) end++;
  while (end > from && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
  let lastDot = end - 1;
  while (lastDot > from && text.charCodeAt(lastDot) !== 46) lastDot--;
  if (lastDot <= from || end - lastDot < 3) return -1;
  for (let index = lastDot + 1; index < end; index++) {
    const code = text.charCodeAt(index) | 32;
    if (code < 97 || code > 122) return -1;
  }
  return end;
}

function redactEmails(text: string): string {
  let out = "";
  let copied = 0;
  // A local part never reaches back past the previous "@" or address, so no character is walked
  // over twice.
  let floor = 0;
  for (let index = 0; index < text.length; index++) {
    const atLength = atSignLength(text, index);
    if (atLength === 0) continue;
    let start = index;
    while (start > floor && isLocalPartCode(text.charCodeAt(start - 1))) start--;
    const end = start < index ? domainEnd(text, index + atLength) : -1;
    if (end === -1) {
      floor = index + atLength;
      index += atLength - 1;
      continue;
    }
    out += text.slice(copied, start) + EMAIL_REDACTED;
    copied = end;
    floor = end;
    index = end - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const isPhoneSeparator = (code: number) => code === 32 || code === 40 || code === 41 || code === 45 || code === 46; // space ( ) - .
const isJoiner = (code: number) => code === 45 || code === 46; // - . (as in a UUID or a version)

/** Whether the text at `index` belongs to a word: a letter, digit or _, or a - or . glued to one. */
function gluedToWord(text: string, index: number, step: 1 | -1): boolean {
  const code = text.charCodeAt(index);
  return isWordCode(code) || (isJoiner(code) && isWordCode(text.charCodeAt(index + step)));
}

/**
 * Phone numbers: "+" and 7 to 15 digits with separators (E.164 as people write it), or 10 to 13
 * digits and ( ) - . without spaces (a WhatsApp wa_id, a national number). Runs touching a letter
 * or digit are ids (UUIDs, Instagram's 17-digit ids), not numbers to hide.
 */
function redactPhones(text: string): string {
  let out = "";
  let copied = 0;
  for (let index = 0; index < text.length; index++) {
    const first = text.charCodeAt(index);
    if (!(isDigit(first) || first === 43 || first === 40) || gluedToWord(text, index - 1, -1)) continue;
    const international = first === 43;
    let end = index + (international ? 1 : 0);
    let digits = 0;
    let lastDigitEnd = end;
    while (end < text.length) {
      const code = text.charCodeAt(end);
      if (isDigit(code)) {
        digits++;
        lastDigitEnd = end + 1;
      } else if (!isPhoneSeparator(code) || (code === 32 && !international)) break;
      end++;
    }
    const isPhone = !gluedToWord(text, lastDigitEnd, 1) && (international ? digits >= 7 && digits <= 15 : digits >= 10 && digits <= 13);
    if (isPhone) {
      out += text.slice(copied, index) + PHONE_REDACTED;
      copied = lastDigitEnd;
    }
    index = Math.max(index, end - 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** user:password@ in any URL (a connection string in a driver error), even when the password was never registered. */
function redactUrlCredentials(text: string): string {
  let out = "";
  let copied = 0;
  for (let scheme = text.indexOf("://"); scheme !== -1; scheme = text.indexOf("://", scheme + 3)) {
    const authority = scheme + 3;
    let end = authority;
    while (end < text.length && !"/@?# \t\r\n".includes(text.charAt(end))) end++;
    if (text.charAt(end) !== "@") continue;
    let colon = authority;
    while (colon < end && text.charAt(colon) !== ":") colon++;
    if (colon === end) continue;
    out += text.slice(copied, colon + 1) + REDACTED;
    copied = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** An error's stack without its first lines, which repeat the message (logged once, redacted, on its own). */
function stackFrames(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  const firstFrame = stack.search(/\n\s+at /);
  return firstFrame === -1 ? "" : stack.slice(firstFrame + 1);
}

/**
 * Prisma's messages print the call's arguments (a message body, a lead's address) above the
 * reason, which is the last line.
 */
function errorMessage(error: Error): string {
  if (!("clientVersion" in error)) return error.message;
  const lines = error.message.trimEnd().split("\n");
  return lines[lines.length - 1]?.trim() ?? "";
}

export function redactor(secrets: readonly string[]): Redactor {
  const pattern = secretPattern(secrets);
  // A secret that starts just before the cap is still replaced whole before the cut.
  const window = MAX_LOGGED_STRING_LENGTH + longestVariant(secrets);
  const string = (text: string): string => {
    let scrubbed = text.length > window ? text.slice(0, window) : text;
    scrubbed = redactUrlCredentials(scrubbed);
    if (pattern) scrubbed = scrubbed.replace(pattern, REDACTED);
    scrubbed = redactPhones(redactEmails(scrubbed));
    if (text.length <= MAX_LOGGED_STRING_LENGTH) return scrubbed;
    return `${scrubbed.slice(0, MAX_LOGGED_STRING_LENGTH)}… [${text.length - MAX_LOGGED_STRING_LENGTH} more characters]`;
  };

  const value = (input: unknown, depth: number, ancestors: Set<object>, inError: boolean): unknown => {
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
      return structure(input, depth + 1, ancestors, inError);
    } finally {
      ancestors.delete(input);
    }
  };

  const entries = (pairs: Iterable<[string, unknown]>, depth: number, ancestors: Set<object>, inError: boolean) => {
    const out: Record<string, unknown> = {};
    for (const [key, item] of pairs) {
      if (inError && DATA_QUOTING_ERROR_KEYS.has(key)) continue;
      out[key] = SECRET_KEY.test(key) ? REDACTED : value(item, depth, ancestors, inError);
    }
    return out;
  };

  const structure = (input: object, depth: number, ancestors: Set<object>, inError: boolean): unknown => {
    if (input instanceof Error) {
      // name, message and stack are not enumerable; extra props (pg's `code`) and `cause` are kept.
      const base = { name: input.name, message: errorMessage(input), stack: stackFrames(input.stack) };
      const cause = "cause" in input && input.cause !== undefined ? { cause: input.cause } : {};
      return entries(Object.entries({ ...input, ...base, ...cause }), depth, ancestors, true);
    }
    if (ArrayBuffer.isView(input)) return `[${input.byteLength} bytes]`;
    if (Array.isArray(input)) return input.map((item) => value(item, depth, ancestors, inError));
    if (input instanceof Set) return [...input].map((item) => value(item, depth, ancestors, inError));
    if (input instanceof Map) {
      return entries([...input].map(([key, item]) => [String(key), item] as [string, unknown]), depth, ancestors, inError);
    }
    if ("toJSON" in input && typeof input.toJSON === "function") {
      return value(input.toJSON(), depth, ancestors, inError);
    }
    return entries(Object.entries(input), depth, ancestors, inError);
  };

  return {
    string,
    fields: (fields) => entries(Object.entries(fields), 0, new Set(), false),
  };
}

function variantsOf(secrets: readonly string[]): string[] {
  // A secret may also appear percent-encoded, as it does inside a connection string.
  return [...new Set(secrets.filter((s) => s.length > 0).flatMap((s) => [s, encodeURIComponent(s)]))];
}

function longestVariant(secrets: readonly string[]): number {
  return Math.max(0, ...variantsOf(secrets).map((variant) => variant.length));
}

function secretPattern(secrets: readonly string[]): RegExp | null {
  const variants = variantsOf(secrets);
  if (variants.length === 0) return null;
  // Longest first, so a secret that contains another is replaced whole. Literal alternatives:
  // each position tries each secret once, so the cost is linear in the (capped) text.
  const alternatives = variants.sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join("|"), "g");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
