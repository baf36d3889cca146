import { capAtWordEnd } from "../text/cap.ts";

// The name a message greets the lead by. Wrong is worse than none ("Hi Info!"), so anything that
// does not look like a real given name gives null and the message simply greets without a name.

/**
 * How much of a name or address is read. The greeting needs the first word or two; an email
 * address is at most 254 characters (RFC 5321), and no display name comes near this either.
 */
export const NAME_READ_CHARS = 256;

const TITLES = new Set(["mr", "mrs", "ms", "miss", "dr", "prof", "sr", "sra", "srta", "herr", "frau", "mme", "mlle"]);

// Role mailboxes and words that show up where a name should be.
const NOT_NAMES = new Set([
  "info", "admin", "sales", "contact", "hello", "hi", "support", "team", "office", "noreply", "no",
  "mail", "email", "user", "test", "customer", "client", "business", "shop", "store", "official",
]);

const NAME_TOKEN = /^\p{L}+(?:['’-]\p{L}+)*$/u;

function capitalize(token: string): string {
  const alreadyCased = token !== token.toLowerCase() && token !== token.toUpperCase();
  if (alreadyCased) return token;
  return token
    .toLowerCase()
    .replace(/(^|['’-])(\p{L})/gu, (_, separator: string, letter: string) => separator + letter.toUpperCase());
}

function givenNameFrom(value: string): string | null {
  const trimmed = capAtWordEnd(value, NAME_READ_CHARS, /\S/).trim();
  // Handles ("@j.doe_99") are usernames, not names.
  if (trimmed === "" || trimmed.startsWith("@")) return null;
  const tokens = trimmed
    .replace(/[\p{Extended_Pictographic}\p{Regional_Indicator}\u{1F3FB}-\u{1F3FF}\u200d\ufe0f]/gu, " ")
    .split(/\s+/)
    .filter((token) => token !== "");
  const titled = TITLES.has((tokens[0] ?? "").toLowerCase().replace(/\.$/, ""));
  // "Mr. Smith" names a surname; only "Dr. Sofia Rossi" still has a given name after the title.
  if (titled && tokens.length < 3) return null;
  const first = titled ? tokens[1] : tokens[0];
  if (first === undefined || !NAME_TOKEN.test(first) || [...first].length < 2) return null;
  // "JD", "MJ": initials, not a name to greet.
  if ([...first].length === 2 && first === first.toUpperCase()) return null;
  if (NOT_NAMES.has(first.toLowerCase())) return null;
  return capitalize(first);
}

function givenNameFromEmail(email: string): string | null {
  // Longer is no address: the cut (at a word end) leaves nothing.
  const local = capAtWordEnd(email, NAME_READ_CHARS, /\S/).split("@")[0] ?? "";
  // "maria.lopez" names a person; a bare "mlopez" or "maria" may be a handle or initials: unsure.
  const [first = "", ...rest] = local.split(/[._-]/);
  // Two letters before the dot ("jd.2024") are usually initials.
  if (rest.length === 0 || [...first].length < 3) return null;
  return givenNameFrom(first);
}

/**
 * The lead's first name for a greeting: what they asked to be called, else the first word of their
 * profile name, else the first part of a "first.last@" email address; capitalized when written all
 * in one case ("maria garcia" -> "Maria", "JOHN" -> "John"); null when unsure.
 */
export function firstNameOf(lead: {
  preferredName?: string | null;
  name?: string | null;
  email?: string | null;
}): string | null {
  return (
    (lead.preferredName ? givenNameFrom(lead.preferredName) : null) ??
    (lead.name ? givenNameFrom(lead.name) : null) ??
    (lead.email ? givenNameFromEmail(lead.email) : null)
  );
}
