import { randomIntInclusive, type RandomSource } from "@audnix/core";

// Values that are valid JSON (or valid form text) yet poison whatever stores or scans them:
// NUL (Postgres text and jsonb refuse it), lone surrogates (jsonb refuses them), numbers out of
// every range (Date, int4, bigint, double), nesting deeper than recursive parsers allow, and
// strings long enough that anything worse than linear shows.

export function pick<T>(random: RandomSource, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** Text of `length` characters mixing words, links, prices and emails (what the text rules scan). */
export function longText(random: RandomSource, length: number): string {
  const words = ["hello", "price", "$1,500.00", "https://shop.example/p?id=1", "www.example.com", "a@b.co", "€20", "...", "\n", "ok"];
  // A seeded phrase repeated: as hard for the text rules as fresh words, and cheap to make at 1 MB.
  const phrase = Array.from({ length: 200 }, () => pick(random, words)).join(" ");
  return phrase.repeat(Math.ceil(length / (phrase.length + 1))).slice(0, length);
}

export function poisonString(random: RandomSource): string {
  return pick(random, [
    () => "before\u0000after",
    () => "\u0000",
    () => "lone high \ud800 surrogate",
    () => "lone low \udfff surrogate",
    () => "\udc00\ud800 reversed pair",
    () => "control \u0001\u0008\u001f\u007f characters",
    () => "bidi \u202e override \u200b zero width \ufeff bom",
    () => "replacement \ufffd\ufffd",
    () => "",
    () => " ".repeat(randomIntInclusive(random, 1, 10_000)),
    () => longText(random, randomIntInclusive(random, 20_000, 300_000)),
  ])();
}

/** Number literals written into the JSON text as is (JSON.stringify could not produce most of them). */
export function poisonNumberLiteral(random: RandomSource): string {
  return pick(random, [
    "1e308",
    "1e400",
    "-1e400",
    "-1",
    "0.5",
    "1e-400",
    "9007199254740993",
    "99999999999999999999",
    "8640000000000001",
    "-8640000000000001",
    "123456789012345678901234567890",
    '"99999999999999999999"',
    '"-1"',
    '"not a number"',
  ]);
}

/** A JSON value nested `depth` levels deep, as text. */
export function deepNesting(random: RandomSource): string {
  const depth = randomIntInclusive(random, 100, 20_000);
  return random() < 0.5 ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

/** MIME that a mail parser or the text rules choke on; sent inside an otherwise valid, signed form. */
export function poisonMime(random: RandomSource, index: number): { variant: string; mime: string } {
  const headers = (extra: string[]) =>
    [
      "From: Lead <lead@example.com>",
      `To: fuzz-${index}@inbound.invalid`,
      "Subject: Question",
      `Message-ID: <poison-${index}@example.com>`,
      "Date: Tue, 01 Dec 2026 10:00:00 +0000",
      "MIME-Version: 1.0",
      ...extra,
    ].join("\r\n");
  const text = (encoding: string, body: string) => `${headers(["Content-Type: text/plain; charset=utf-8", `Content-Transfer-Encoding: ${encoding}`])}\r\n\r\n${body}\r\n`;
  const variants: readonly (readonly [string, () => string])[] = [
    ["QP =00 and broken UTF-8", () => text("quoted-printable", "Hello =00 world =ED=A0=80 and =FF=FE")],
    ["raw NUL", () => text("8bit", "raw NUL \u0000 here")],
    ["base64 of invalid UTF-8", () => text("base64", Buffer.from([0xed, 0xa0, 0x80, 0x00, 0xff, 0xc3, 0x28]).toString("base64"))],
    ["invalid base64", () => text("base64", "!!!not base64!!!")],
    ["long text", () => text("quoted-printable", longText(random, randomIntInclusive(random, 50_000, 400_000)).replace(/=/g, "=3D"))],
    ["thousands of quoted lines", () => text("8bit", `${"> quoted\n".repeat(randomIntInclusive(random, 1_000, 30_000))}reply`)],
    ["long header", () => `${headers([`X-Long: ${"a".repeat(randomIntInclusive(random, 10_000, 300_000))}`, "Content-Type: text/plain"])}\r\n\r\nhi\r\n`],
    ["garbage date", () => text("8bit", "bad date").replace("Date: Tue, 01 Dec 2026 10:00:00 +0000", "Date: Tue, 99 Foo 99999 99:99:99 +9999")],
    [
      "deeply nested multipart",
      () => {
        const depth = randomIntInclusive(random, 50, 500);
        const open = Array.from({ length: depth }, (_, level) => `Content-Type: multipart/mixed; boundary="b${level}"\r\n\r\n--b${level}\r\n`).join("");
        return `${headers([])}\r\n${open}Content-Type: text/plain\r\n\r\ndeep\r\n`;
      },
    ],
    ["multipart without boundary", () => `${headers(["Content-Type: multipart/alternative"])}\r\n\r\nno boundary at all\r\n`],
    ["no headers", () => "no headers, no blank line, just text"],
    ["empty", () => ""],
  ];
  const [variant, build] = pick(random, variants);
  return { variant, mime: build() };
}
