import { capLength } from "../text/cap.ts";

// The model should see what the lead wrote in this email, not the thread it quotes or their
// signature: quoted history repeats our own words back and would be read as the lead's.
// Every pattern is anchored at the line start and no two of its quantifiers can trade the same
// characters back and forth (the old "Am .+ schrieb .+:" could, on a line of many "schrieb"), so a
// line costs its length; the lines are walked once, however many quotes are answered below.

/**
 * How much of an email is read. The lead's own words come before the quote they answer, and
 * capture keeps at most 20,000 characters of them; 100,000 also leaves room for a reply posted
 * below a long quote. Mail can be 25 MB: the rest is cut before the first line is read.
 */
export const EMAIL_TEXT_READ_CHARS = 100_000;

// "On <date>, <name> wrote:" as Gmail, Apple Mail, Thunderbird and their localized builds write it.
const ATTRIBUTIONS = [
  /^On\s.+\swrote:$/i,
  /^Le\s.+\sa\s+écrit\s?:$/i,
  // "(?:(?!\sschrieb\s).)+" stops at the first "schrieb": a plain ".+" backtracked through every one.
  /^Am\s(?:(?!\sschrieb\s).)+\sschrieb\s.+:$/i,
  /^El\s.+\sescribió:$/i,
  /^Em\s.+\sescreveu:$/i,
  /^Il\s.+\sha\s+scritto:$/i,
  /^Op\s(?:(?!\sschreef\s).)+\sschreef\s.+:$/i,
];
// Mail clients wrap a long attribution, so it may start on one line and end on the next.
const ATTRIBUTION_START = /^(On|Le|Am|El|Em|Il|Op)\s/i;

const ORIGINAL_MESSAGE =
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Mensagem original|Messaggio originale)\s*-{2,}$/i;

// Outlook's header block: "From: …" followed within a few lines by "Sent: …" (or its localized forms).
const OUTLOOK_FROM = /^\*?(From|Von|De|Da|Van):\*?\s/i;
const OUTLOOK_SENT = /^\*?(Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden):\*?\s/i;
const OUTLOOK_ONE_LINE = /^\*?From:\*?\s.+\s\*?Sent:\*?\s/i;
const OUTLOOK_RULE = /^_{10,}$/;

const SIGNATURE_DELIMITER = /^--\s?$/;

// Short lines only, so a sentence that happens to start the same way is kept.
const FOOTERS = [
  /^Sent from my [\p{L}\p{N} '’-]{1,40}\.?$/iu,
  /^Sent from (Mail|Outlook|Yahoo Mail)( for [\p{L}\p{N} '’-]{1,30})?\.?$/iu,
  /^Get Outlook for (iOS|Android)\.?$/i,
  /^Envoyé de mon [\p{L}\p{N} '’-]{1,40}\.?$/iu,
  /^Von meinem [\p{L}\p{N} '’-]{1,40} gesendet\.?$/iu,
  /^Enviado desde mi [\p{L}\p{N} '’-]{1,40}\.?$/iu,
  /^Enviado do meu [\p{L}\p{N} '’-]{1,40}\.?$/iu,
  /^Inviato da(l mio)? [\p{L}\p{N} '’-]{1,40}\.?$/iu,
  /^Verstuurd vanaf mijn [\p{L}\p{N} '’-]{1,40}\.?$/iu,
];

interface Boundary {
  kind: "attribution" | "history" | "signature";
  /** First line that is not the lead's own text. */
  start: number;
  /** Line after the boundary's own lines (the attribution, for a bottom-posted reply). */
  end: number;
}

/**
 * The lead's own words of an email reply (its first EMAIL_TEXT_READ_CHARS): quoted history,
 * signature and mobile footers removed.
 */
export function stripQuotedHistory(text: string): string {
  return ownLines(capLength(text, EMAIL_TEXT_READ_CHARS).replace(/\r\n?/g, "\n").split("\n")).join("\n").trim();
}

function ownLines(lines: string[]): string[] {
  // Each round starts below the last one's quote, so every line is looked at a bounded number of times.
  for (let from = 0; ; ) {
    const boundary = findBoundary(lines, from);
    const headEnd = withoutTrailingQuote(lines, from, boundary?.start ?? lines.length);
    if (headEnd > from || boundary?.kind !== "attribution") return lines.slice(from, headEnd);

    // Nothing above the attribution: the lead may have answered below the quote (bottom-posting).
    let next = boundary.end;
    let quoted = false;
    while (next < lines.length && (isBlank(lines[next]) || isQuoted(lines[next]))) {
      quoted ||= isQuoted(lines[next]);
      next += 1;
    }
    // Without ">" quoting the lines below are the quoted message itself, not a reply.
    if (!quoted) return [];
    from = next;
  }
}

function findBoundary(lines: string[], from: number): Boundary | null {
  for (let index = from; index < lines.length; index += 1) {
    const line = (lines[index] ?? "").trim();
    const next = (lines[index + 1] ?? "").trim();
    const at = (kind: Boundary["kind"], start = index, end = index + 1): Boundary => ({ kind, start, end });

    if (SIGNATURE_DELIMITER.test(lines[index] ?? "") || FOOTERS.some((footer) => footer.test(line))) return at("signature");
    if (ORIGINAL_MESSAGE.test(line) || OUTLOOK_ONE_LINE.test(line)) return at("history");
    if (ATTRIBUTIONS.some((attribution) => attribution.test(line))) return at("attribution");
    if (ATTRIBUTION_START.test(line) && next !== "" && ATTRIBUTIONS.some((attribution) => attribution.test(`${line} ${next}`))) {
      return at("attribution", index, index + 2);
    }
    if (OUTLOOK_FROM.test(line) && lines.slice(index + 1, index + 6).some((after) => OUTLOOK_SENT.test(after.trim()))) {
      return at("history", outlookRuleAbove(lines, from, index));
    }
  }
  return null;
}

// Outlook draws a rule of underscores above the header block; it belongs to the history too.
function outlookRuleAbove(lines: string[], first: number, fromLine: number): number {
  let above = fromLine - 1;
  while (above >= first && isBlank(lines[above])) above -= 1;
  return above >= first && OUTLOOK_RULE.test((lines[above] ?? "").trim()) ? above : fromLine;
}

/** Where lines [from, end) end once the blank and ">"-quoted lines at their bottom are dropped. */
function withoutTrailingQuote(lines: string[], from: number, end: number): number {
  let headEnd = end;
  while (headEnd > from && (isBlank(lines[headEnd - 1]) || isQuoted(lines[headEnd - 1]))) headEnd -= 1;
  return headEnd;
}

function isBlank(line: string | undefined): boolean {
  return (line ?? "").trim() === "";
}

function isQuoted(line: string | undefined): boolean {
  return (line ?? "").trimStart().startsWith(">");
}
