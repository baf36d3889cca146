// Texts built to make text functions slow or crash: runs that a backtracking regex re-reads from
// every start (dotted labels with no known TLD, digits with no currency, local parts with no "@"
// end), quote and attribution lines an email stripper walks, characters that break naive Unicode
// handling, and markup nested deep enough to overflow a recursive walk. `pnpm test` drives every
// text function over them at 1,000,000 characters; the resilience run (apps/web/test/resilience)
// at whatever size it is given. A super-linear function turns into a timed-out test.

export interface AdversarialText {
  name: string;
  text: string;
}

/** Every adversarial text at about `sizeChars` UTF-16 units (never more). */
export function adversarialTexts(sizeChars: number): AdversarialText[] {
  const fill = (unit: string, room = sizeChars) => unit.repeat(Math.max(1, Math.floor(room / unit.length)));
  const between = (before: string, unit: string, after: string) =>
    before + fill(unit, sizeChars - before.length - after.length) + after;
  return [
    // Link, email and price rules
    { name: "one letter, one line", text: fill("a") },
    { name: "dotted labels without a known TLD", text: fill("a.") },
    { name: "hyphenated labels", text: fill("a-") },
    { name: "www. runs", text: fill("www.") },
    { name: "a scheme and a link that never ends", text: between("https://", "a", "") },
    { name: "a link ending in a run of punctuation", text: between("https://a.io/", ".,", "x") },
    { name: "a path of slashes", text: between("a.io", "/", "x") },
    { name: "an email local part and a bare @", text: between("", "a", "@") },
    { name: "@-separated fragments", text: fill("a@") },
    { name: "email addresses without a TLD", text: fill("a@a.") },
    { name: "digits and commas without a currency", text: fill("1,") },
    { name: "digits and dots without a currency", text: fill("1.") },
    { name: "currency signs without amounts", text: fill("$") },
    // Draft checks
    { name: "template braces", text: fill("{{") },
    { name: "open brackets and spaces", text: fill("[ ") },
    { name: "insert, then spaces", text: between("insert", " ", "x") },
    { name: "spaces inside one line", text: between("x", " ", "x") },
    { name: "a quoted draft", text: between('"', "a ", '"') },
    // Email quote and signature stripping
    { name: "newlines only", text: fill("\n") },
    { name: "carriage returns only", text: fill("\r") },
    { name: "blank lines of spaces", text: fill(" \n") },
    { name: "quote markers on one line", text: fill(">") },
    { name: "quote markers, one per line", text: fill(">\n") },
    { name: "attributions, each answered below", text: fill("On a wrote:\n> q\n") },
    { name: "a German attribution without its colon", text: between("Am ", "x schrieb ", "") },
    { name: "Outlook From: lines", text: fill("From: a\n") },
    { name: "dashes", text: fill("-") },
    { name: "underscores", text: fill("_") },
    // Unicode
    { name: "NUL characters", text: fill("\u0000") },
    { name: "lone high surrogates", text: fill("\ud800") },
    { name: "lone low surrogates between letters", text: fill("a\udc00") },
    { name: "emoji", text: fill("😀") },
    { name: "combining marks on letters", text: fill("a\u0301") },
    { name: "combining marks alone", text: fill("\u0301") },
    { name: "right-to-left text with direction overrides", text: fill("\u202eمرحبا\u202c ") },
    // NFKD turns each of these into 18 characters.
    { name: "characters that expand when normalized", text: fill("\ufdfa") },
    // Opt-out phrases, step lists, markup
    { name: "negated opt-out phrases", text: fill("don't stop messaging ") },
    { name: "follow-up steps", text: fill("1m,") },
    { name: "nested HTML elements", text: fill("<div>") },
    { name: "nested HTML quotes", text: fill("<blockquote>") },
  ];
}
