import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { isValidTimeZone } from "../followup/time-zone.ts";

// What the product remembers about a lead (docs/decisions/0022): a closed set of kinds, each fact
// kept with where it came from. Values are checked here, once, for every writer: the rules, the
// model's structured output and the owner's form all pass through factValueSchema.

export const LEAD_FACT_KINDS = [
  "email",
  "phone",
  "preferred_name",
  "location",
  "timezone",
  "language",
  "interest",
  "objection",
  "budget",
] as const;
export type LeadFactKind = (typeof LEAD_FACT_KINDS)[number];

/** Who said so: the keyless rules, the model's structured output, or the owner on the lead page. */
export const LEAD_FACT_SOURCES = ["rules", "model", "owner"] as const;
export type LeadFactSource = (typeof LEAD_FACT_SOURCES)[number];

/** Kinds a lead can have several of at once ("interested in rings" and "in earrings"); every other kind has one value, and a new one replaces it. */
export const MULTI_VALUED_FACT_KINDS: ReadonlySet<LeadFactKind> = new Set(["interest", "objection"]);

/** The longest value of each kind; longer text is not a fact we can use in a greeting or a prompt. */
export const FACT_VALUE_MAX_CHARS: Record<LeadFactKind, number> = {
  // RFC 5321's longest address.
  email: 254,
  // E.164 is at most 15 digits after "+".
  phone: 16,
  preferred_name: 64,
  location: 100,
  // The longest zone Intl knows has 30 characters (time-zone.ts reads at most 64).
  timezone: 64,
  // A BCP 47 tag such as "pt-BR"; 35 covers every registered shape.
  language: 35,
  interest: 200,
  objection: 200,
  budget: 50,
};

/** What a phone number is at most as written, spaces and punctuation included; libphonenumber reads no more. */
export const PHONE_TEXT_MAX_CHARS = 32;

/** A lead's phone number in E.164 ("+4915112345678"), or null when it is no valid number. Without "+" or "00" the country must be given. */
export function normalizePhone(text: string, defaultCountry?: CountryCode): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > PHONE_TEXT_MAX_CHARS) return null;
  const international = trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(international, defaultCountry ? { defaultCountry } : undefined);
  return parsed?.isValid() ? parsed.number : null;
}

function canonicalLanguage(value: string): string | null {
  try {
    return Intl.getCanonicalLocales(value)[0] ?? null;
  } catch {
    return null;
  }
}

const text = (kind: LeadFactKind, maxChars = FACT_VALUE_MAX_CHARS[kind]) =>
  z.string().trim().min(1, "Enter a value.").max(maxChars, `At most ${maxChars} characters.`);

/** Each kind's value, checked and normalized (email lower-cased, phone in E.164, language canonical). */
export const FACT_VALUE_SCHEMAS: Record<LeadFactKind, z.ZodType<string, string>> = {
  email: text("email").pipe(z.email("Enter an email address such as sam@shop.example.")).transform((value) => value.toLowerCase()),
  // As written ("+49 (151) 2345-6789"); stored in E.164, at most 16 characters.
  phone: text("phone", PHONE_TEXT_MAX_CHARS).transform((value, context) => {
    const phone = normalizePhone(value);
    if (phone === null) {
      context.addIssue({ code: "custom", message: "Enter the number with its country code, such as +49 151 12345678." });
      return z.NEVER;
    }
    return phone;
  }),
  preferred_name: text("preferred_name"),
  location: text("location"),
  timezone: text("timezone").refine((value) => isValidTimeZone(value), "Enter a time zone such as Europe/Berlin."),
  language: text("language").transform((value, context) => {
    const tag = canonicalLanguage(value);
    if (tag === null) {
      context.addIssue({ code: "custom", message: "Enter a language code such as es or pt-BR." });
      return z.NEVER;
    }
    return tag;
  }),
  interest: text("interest"),
  objection: text("objection"),
  budget: text("budget"),
};

export const leadFactKindSchema = z.enum(LEAD_FACT_KINDS);

/** A fact's value checked for its kind: the normalized value, or the first problem in words. */
export function checkFactValue(kind: LeadFactKind, value: string): { ok: true; value: string } | { ok: false; message: string } {
  const result = FACT_VALUE_SCHEMAS[kind].safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, message: result.error.issues[0]?.message ?? "Invalid value." };
}

/** The value of a single-valued kind among a lead's facts (the newest, should there be two), or null. */
export function factValue(facts: readonly { kind: LeadFactKind; value: string }[], kind: LeadFactKind): string | null {
  return facts.findLast((fact) => fact.kind === kind)?.value ?? null;
}
