import { stickyEnd } from "../text/sticky.ts";
import { isWhitespaceUnit } from "../text/whitespace.ts";

// Prices (an amount with a currency: "$149", "R$ 1.500,00", "149 USD", "20 euros") found in one
// left-to-right pass. The regex this replaces, /\d[\d.,]*\s?(?:usd|…)/, restarted at every digit
// of an amount with no currency after it and re-read the amount each time: 64,000 characters of
// "1,1,1," took seconds. Here every start inside one amount shares that amount's answer, and the
// one pattern left is a fixed list of words tried once per amount.

const CURRENCY_AFTER = /\s?(?:[$€£]|usd|eur|gbp|brl|dollars?|euros?|reais|pounds?)(?!\p{L})/iuy;

const DOLLAR = 0x24;

function isSign(unit: number): boolean {
  return unit === DOLLAR || unit === 0x20ac || unit === 0xa3; // $ € £
}

// What a case-insensitive Unicode pattern takes for "r", "u" and "s" (the long s "ſ" folds to "s").
function isR(unit: number): boolean {
  return unit === 0x72 || unit === 0x52;
}

function isU(unit: number): boolean {
  return unit === 0x75 || unit === 0x55;
}

function isS(unit: number): boolean {
  return unit === 0x73 || unit === 0x53 || unit === 0x17f;
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

/** The end of the amount ("1.500,00") that starts with a digit at `start`. */
function amountEnd(text: string, start: number): number {
  let end = start + 1;
  for (let unit = text.charCodeAt(end); isDigit(unit) || unit === 0x2e || unit === 0x2c; unit = text.charCodeAt(end)) end += 1;
  return end;
}

/** The end of "$", "R$" or "US$" (any case) at `start`, or -1. */
function signEnd(text: string, start: number): number {
  const unit = text.charCodeAt(start);
  if (isSign(unit)) return start + 1;
  if (isR(unit) && text.charCodeAt(start + 1) === DOLLAR) return start + 2;
  if (isU(unit) && isS(text.charCodeAt(start + 1)) && text.charCodeAt(start + 2) === DOLLAR) return start + 3;
  return -1;
}

/** Prices in `text` as written ("$1,500.00", "R$ 99", "1500 USD"). */
export function findPriceRuns(text: string): string[] {
  const prices: string[] = [];
  let position = 0;
  while (position < text.length) {
    const sign = signEnd(text, position);
    if (sign !== -1) {
      // A sign, at most one whitespace, then an amount.
      const digit = isWhitespaceUnit(text.charCodeAt(sign)) && isDigit(text.charCodeAt(sign + 1)) ? sign + 1 : sign;
      if (isDigit(text.charCodeAt(digit))) {
        const end = amountEnd(text, digit);
        prices.push(text.slice(position, end));
        position = end;
      } else {
        position += 1;
      }
      continue;
    }
    if (!isDigit(text.charCodeAt(position))) {
      position += 1;
      continue;
    }
    // An amount, then a currency. Every start further inside the amount reaches the same end
    // and the same currency (or none), so a miss skips the whole amount.
    const amount = amountEnd(text, position);
    const end = stickyEnd(CURRENCY_AFTER, text, amount);
    if (end !== -1) prices.push(text.slice(position, end));
    position = end === -1 ? amount : end;
  }
  return prices;
}
