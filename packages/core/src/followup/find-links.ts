import { stickyEnd } from "../text/sticky.ts";
import { isWhitespaceUnit } from "../text/whitespace.ts";

// Links and email addresses as a reader sees them, found in one left-to-right pass. The regexes
// these replace (/\b(?:[a-z0-9-]+\.)+(?:com|…)\b/ and /[^\s@]+@[^\s@]+\.[a-z]{2,}/) restarted at
// every word boundary of a run and re-read the run each time, so 64,000 characters of "a.a.a." or
// of letters with no "@" took seconds and 1 MB took hours. The matches are the same; each
// character is read a bounded number of times, and the sticky patterns below are fixed words or
// one run of a class, which cannot backtrack.

const SCHEME = /(?:https?:\/\/|www\.)/iy;
const SCHEME_INITIALS = new Set([0x68, 0x48, 0x77, 0x57]); // h H w W
// What ends a link: whitespace, angle brackets, parentheses, quotes.
const LINK_RUN = /[^\s<>()"']+/y;
const TLD = /(?:com|net|org|io|co|app|ai|shop|store|me|link|ly|es|de|fr|it|nl|br|pt|uk)\b/iy;
const PATH = /\/[^\s<>()"']*/y;

const DOT = 0x2e;
const AT_SIGN = "@";
// Besides whitespace, what ends an address: "@", angle brackets, parentheses, quotes.
const ADDRESS_STOPS = new Set([0x40, 0x3c, 0x3e, 0x28, 0x29, 0x22, 0x27]);

// Units past the end of the text are NaN and fail every test below.
function isAsciiLetter(unit: number): boolean {
  return (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a);
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

/** A character `\b` counts as a word character in a pattern without the u flag. */
function isWordUnit(unit: number): boolean {
  return isAsciiLetter(unit) || isDigit(unit) || unit === 0x5f;
}

function isLabelUnit(unit: number): boolean {
  return isAsciiLetter(unit) || isDigit(unit) || unit === 0x2d;
}

function isAddressUnit(unit: number): boolean {
  return !Number.isNaN(unit) && !isWhitespaceUnit(unit) && !ADDRESS_STOPS.has(unit);
}

/**
 * The dotted labels from `start` ("shop.example.com/sale"): where the link ends (the last label
 * whose next label is a known TLD, then its path) or -1, and where the labels end. A start inside
 * the same labels sees a subset of the same TLD candidates, so a miss holds for all of them.
 */
function domainLink(text: string, start: number): { end: number; labelsEnd: number } {
  let position = start;
  while (isLabelUnit(text.charCodeAt(position))) position += 1;
  // Most words are not followed by a dot: answer them before collecting anything.
  if (position === start || text.charCodeAt(position) !== DOT) return { end: -1, labelsEnd: position };
  const dots: number[] = [];
  position = start;
  for (;;) {
    let labelEnd = position;
    while (isLabelUnit(text.charCodeAt(labelEnd))) labelEnd += 1;
    if (labelEnd === position || text.charCodeAt(labelEnd) !== DOT) {
      position = labelEnd;
      break;
    }
    dots.push(labelEnd);
    position = labelEnd + 1;
  }
  // The pattern's labels were greedy: the last dot that a known TLD follows wins. Every TLD has
  // two letters or more, which rules most dots out before the pattern runs.
  for (let index = dots.length - 1; index >= 0; index -= 1) {
    const tldStart = (dots[index] as number) + 1;
    if (!isAsciiLetter(text.charCodeAt(tldStart)) || !isAsciiLetter(text.charCodeAt(tldStart + 1))) continue;
    const tldEnd = stickyEnd(TLD, text, tldStart);
    if (tldEnd !== -1) return { end: Math.max(tldEnd, stickyEnd(PATH, text, tldEnd)), labelsEnd: position };
  }
  return { end: -1, labelsEnd: position };
}

/**
 * Links in `text` as written, trailing punctuation included ("https://x.io/a.", "www.x.io",
 * "shop.example.com/sale"). The domain of an email address reads as a link: replace addresses first.
 */
export function findLinkRuns(text: string): string[] {
  const links: string[] = [];
  let noDomainBefore = 0;
  let position = 0;
  while (position < text.length) {
    const unit = text.charCodeAt(position);
    if (isWordUnit(unit) === isWordUnit(text.charCodeAt(position - 1))) {
      position += 1;
      continue;
    }
    // At a word boundary: "http(s)://" or "www." first, then dotted labels.
    let end = -1;
    if (SCHEME_INITIALS.has(unit)) {
      const schemeEnd = stickyEnd(SCHEME, text, position);
      if (schemeEnd !== -1) end = stickyEnd(LINK_RUN, text, schemeEnd);
    }
    if (end === -1 && position >= noDomainBefore && isLabelUnit(unit)) {
      const domain = domainLink(text, position);
      if (domain.end === -1) noDomainBefore = domain.labelsEnd;
      end = domain.end;
    }
    if (end === -1) {
      position += 1;
      continue;
    }
    links.push(text.slice(position, end));
    position = end;
  }
  return links;
}

/** The end of "example.com" in an address's domain part [from, to): the last dot with two letters after it, and those letters. */
function domainEnd(text: string, from: number, to: number): number {
  for (let dot = to - 1; dot > from; dot -= 1) {
    if (text.charCodeAt(dot) !== DOT) continue;
    if (!isAsciiLetter(text.charCodeAt(dot + 1)) || !isAsciiLetter(text.charCodeAt(dot + 2))) continue;
    let end = dot + 3;
    while (isAsciiLetter(text.charCodeAt(end))) end += 1;
    return end;
  }
  return -1;
}

/** Where each email address in `text` starts and ends, left to right, in one pass. */
function* emailAddressSpans(text: string): Generator<{ start: number; end: number }> {
  let copied = 0;
  for (let at = text.indexOf(AT_SIGN); at !== -1; at = text.indexOf(AT_SIGN, Math.max(at + 1, copied))) {
    // The local part runs back from "@" to the last stop, or to the end of the previous address.
    let start = at;
    while (start > copied && isAddressUnit(text.charCodeAt(start - 1))) start -= 1;
    if (start === at) continue;
    let to = at + 1;
    while (isAddressUnit(text.charCodeAt(to))) to += 1;
    const end = domainEnd(text, at + 1, to);
    if (end === -1) continue;
    yield { start, end };
    copied = end;
  }
}

/** `text` with every email address ("ana@studio.com") replaced by `replacement`. */
export function replaceEmailAddresses(text: string, replacement: string): string {
  let result = "";
  let copied = 0;
  for (const { start, end } of emailAddressSpans(text)) {
    result += text.slice(copied, start) + replacement;
    copied = end;
  }
  return result + text.slice(copied);
}

/** The email addresses in `text` as written ("ana@studio.com"), the same ones replaceEmailAddresses replaces. */
export function findEmailAddresses(text: string): string[] {
  return Array.from(emailAddressSpans(text), ({ start, end }) => text.slice(start, end));
}
