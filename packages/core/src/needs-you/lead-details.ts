import { z } from "zod";
import { FACT_VALUE_MAX_CHARS, FACT_VALUE_SCHEMAS, PHONE_TEXT_MAX_CHARS } from "../facts/fact-kinds.ts";

// The lead details the owner edits on the lead page (leads.update, docs/decisions/0027). Every
// field is checked here, for the form and the API alike; an empty field clears it.

export const LEAD_NAME_MAX_CHARS = 100;
export const LEAD_NOTES_MAX_CHARS = 5_000;
export const LEAD_TAGS_MAX = 20;
export const LEAD_TAG_MAX_CHARS = 40;
/** The most of a tag list as typed (commas and spaces included) that is read at all. */
export const LEAD_TAGS_TEXT_MAX_CHARS = LEAD_TAGS_MAX * (LEAD_TAG_MAX_CHARS + 2);

const emptyToNull = (value: string) => (value === "" ? null : value);

const name = z.string().trim().max(LEAD_NAME_MAX_CHARS, `At most ${LEAD_NAME_MAX_CHARS} characters.`).transform(emptyToNull);

// The fact schemas of lead memory (0022), so an owner's email or phone is normalized exactly as
// an extracted one: lower-cased email, E.164 phone. Empty clears the field.
const factOrEmpty = (schema: z.ZodType<string, string>, maxChars: number) =>
  z
    .string()
    .trim()
    .max(maxChars, `At most ${maxChars} characters.`)
    .transform((value, context) => {
      if (value === "") return null;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      context.addIssue({ code: "custom", message: result.error.issues[0]?.message ?? "Invalid value." });
      return z.NEVER;
    });
const email = factOrEmpty(FACT_VALUE_SCHEMAS.email, FACT_VALUE_MAX_CHARS.email);
const phone = factOrEmpty(FACT_VALUE_SCHEMAS.phone, PHONE_TEXT_MAX_CHARS);

/** Tags trimmed, inner spaces collapsed, duplicates (any letter case) dropped keeping the first spelling. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const tag of tags) {
    const clean = tag.trim().replace(/\s+/g, " ");
    const key = clean.toLowerCase();
    if (clean === "" || seen.has(key)) continue;
    seen.add(key);
    kept.push(clean);
  }
  return kept;
}

const tags = z
  .array(z.string().max(LEAD_TAGS_TEXT_MAX_CHARS, `A tag has at most ${LEAD_TAG_MAX_CHARS} characters.`))
  .max(LEAD_TAGS_MAX * 2, `At most ${LEAD_TAGS_MAX} tags.`)
  .transform(normalizeTags)
  .pipe(
    z
      .array(z.string().max(LEAD_TAG_MAX_CHARS, `A tag has at most ${LEAD_TAG_MAX_CHARS} characters.`))
      .max(LEAD_TAGS_MAX, `At most ${LEAD_TAGS_MAX} tags.`),
  );

const notes = z.string().max(LEAD_NOTES_MAX_CHARS, `At most ${LEAD_NOTES_MAX_CHARS.toLocaleString("en-US")} characters.`).transform((value) => emptyToNull(value.trim()));

/** leads.update's fields: what the owner typed, checked and normalized; null clears a field. */
export const leadDetailsSchema = z.object({ name, email, phone, tags, notes });
export type LeadDetailsInput = z.input<typeof leadDetailsSchema>;
export type LeadDetails = z.output<typeof leadDetailsSchema>;

/** A comma-separated tag list as typed in the form ("vip, wholesale"), read to a fixed length. */
export function splitTagList(text: string): string[] | null {
  if (text.length > LEAD_TAGS_TEXT_MAX_CHARS) return null;
  return text.split(",");
}
