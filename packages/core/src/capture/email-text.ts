// The model should see what the lead wrote in this email, not the thread it quotes or their
// signature: quoted history repeats our own words back and would be read as the lead's.

// "On <date>, <name> wrote:" as Gmail, Apple Mail, Thunderbird and their localized builds write it.
const ATTRIBUTIONS = [
  /^On\s.+\swrote:$/i,
  /^Le\s.+\sa\s+écrit\s?:$/i,
  /^Am\s.+\sschrieb\s.+:$/i,
  /^El\s.+\sescribió:$/i,
  /^Em\s.+\sescreveu:$/i,
  /^Il\s.+\sha\s+scritto:$/i,
  /^Op\s.+\sschreef\s.+:$/i,
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

/** The lead's own words of an email reply: quoted history, signature and mobile footers removed. */
export function stripQuotedHistory(text: string): string {
  return ownLines(text.replace(/\r\n?/g, "\n").split("\n")).join("\n").trim();
}

function ownLines(lines: string[]): string[] {
  const boundary = findBoundary(lines);
  const head = withoutTrailingQuote(lines.slice(0, boundary?.start ?? lines.length));
  if (head.length > 0 || boundary?.kind !== "attribution") return head;

  // Nothing above the attribution: the lead may have answered below the quote (bottom-posting).
  let next = boundary.end;
  let quoted = false;
  while (next < lines.length && (isBlank(lines[next]) || isQuoted(lines[next]))) {
    quoted ||= isQuoted(lines[next]);
    next += 1;
  }
  // Without ">" quoting the lines below are the quoted message itself, not a reply.
  return quoted ? ownLines(lines.slice(next)) : [];
}

function findBoundary(lines: string[]): Boundary | null {
  for (let index = 0; index < lines.length; index += 1) {
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
      return at("history", outlookRuleAbove(lines, index));
    }
  }
  return null;
}

// Outlook draws a rule of underscores above the header block; it belongs to the history too.
function outlookRuleAbove(lines: string[], fromLine: number): number {
  let above = fromLine - 1;
  while (above >= 0 && isBlank(lines[above])) above -= 1;
  return above >= 0 && OUTLOOK_RULE.test((lines[above] ?? "").trim()) ? above : fromLine;
}

function withoutTrailingQuote(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (isBlank(lines[end - 1]) || isQuoted(lines[end - 1]))) end -= 1;
  return lines.slice(0, end);
}

function isBlank(line: string | undefined): boolean {
  return (line ?? "").trim() === "";
}

function isQuoted(line: string | undefined): boolean {
  return (line ?? "").trimStart().startsWith(">");
}
