import { describe, expect, it } from "vitest";
import { stripQuotedHistory } from "../../src/capture/email-text.ts";

const lines = (...text: string[]) => text.join("\n");

// Realistic plain-text parts as the major clients produce them for a reply to our follow-up.
const CASES: [name: string, input: string, expected: string][] = [
  ["a plain message with no history", lines("Hi,", "", "Is the Friday class still open?", "", "Thanks, Ana"), lines("Hi,", "", "Is the Friday class still open?", "", "Thanks, Ana")],
  [
    "Gmail: one-line attribution and quoted history",
    lines(
      "Yes, Friday works for me.",
      "",
      "On Mon, Jan 5, 2026 at 10:00 AM Studio Bloom <hello@studiobloom.com> wrote:",
      "",
      "> Hi Ana, would Friday at 6pm suit you?",
      ">",
      "> Studio Bloom",
    ),
    "Yes, Friday works for me.",
  ],
  [
    "Gmail: attribution wrapped over two lines",
    lines(
      "Sounds good, book me in.",
      "",
      "On Mon, Jan 5, 2026 at 10:00 AM Studio Bloom Customer Team <",
      "hello@studiobloom.com> wrote:",
      "",
      "> Hi Ana,",
    ),
    "Sounds good, book me in.",
  ],
  [
    "Apple Mail with its mobile footer",
    lines(
      "Can I bring a friend?",
      "",
      "Sent from my iPhone",
      "",
      "> On Jan 5, 2026, at 10:00, Studio Bloom <hello@studiobloom.com> wrote:",
      "> ",
      "> Hi Ana",
    ),
    "Can I bring a friend?",
  ],
  [
    "Apple Mail attribution without a footer",
    lines("Perfect, see you then", "", "On Jan 5, 2026, at 10:00, Studio Bloom <hello@studiobloom.com> wrote:", "", "> See you Friday!"),
    "Perfect, see you then",
  ],
  [
    "Outlook desktop: rule and From/Sent header block",
    lines(
      "Hello,",
      "",
      "Please send me the price list.",
      "",
      "Kind regards",
      "Tom",
      "",
      "________________________________",
      "From: Studio Bloom <hello@studiobloom.com>",
      "Sent: Monday, January 5, 2026 10:00 AM",
      "To: Tom Becker <tom@example.org>",
      "Subject: Your question about classes",
      "",
      "Hi Tom, thanks for reaching out!",
    ),
    lines("Hello,", "", "Please send me the price list.", "", "Kind regards", "Tom"),
  ],
  [
    "Outlook: -----Original Message-----",
    lines("What time does it end?", "", "-----Original Message-----", "From: Studio Bloom [mailto:hello@studiobloom.com]", "Sent: Monday, January 5, 2026 10:00", "Subject: Class"),
    "What time does it end?",
  ],
  [
    "Outlook mobile: header on one line",
    lines("Ok thanks", "", "From: Studio Bloom <hello@studiobloom.com> Sent: Monday, January 5, 2026 10:00:00 AM To: tom@example.org Subject: Class"),
    "Ok thanks",
  ],
  [
    "Outlook in German: Von/Gesendet",
    lines("Danke, passt!", "", "Von: Studio Bloom <hello@studiobloom.com>", "Gesendet: Montag, 5. Januar 2026 10:00", "An: Tom", "Betreff: Kurs"),
    "Danke, passt!",
  ],
  [
    "French Gmail attribution",
    lines("Oui, avec plaisir.", "", "Le lun. 5 janv. 2026 à 10:00, Studio Bloom <hello@studiobloom.com> a écrit :", "> Bonjour"),
    "Oui, avec plaisir.",
  ],
  [
    "German attribution",
    lines("Ja, gerne.", "", "Am 05.01.2026 um 10:00 schrieb Studio Bloom <hello@studiobloom.com>:", "> Hallo"),
    "Ja, gerne.",
  ],
  [
    "Spanish attribution wrapped over two lines",
    lines("Sí, me interesa.", "", "El lun, 5 ene 2026 a las 10:00, Studio Bloom (<hello@studiobloom.com>)", "escribió:", "> Hola"),
    "Sí, me interesa.",
  ],
  [
    "the -- signature delimiter",
    lines("Please call me tomorrow.", "", "-- ", "Ana Souza", "Head of Marketing, Acme", "+1 650 555 1234"),
    "Please call me tomorrow.",
  ],
  ["a signature delimiter whose trailing space was trimmed", lines("Call me.", "--", "Ana"), "Call me."],
  ["localized mobile footers", lines("Bis morgen", "", "Von meinem iPhone gesendet"), "Bis morgen"],
  ["Outlook mobile footer", lines("Thanks!", "", "Get Outlook for iOS"), "Thanks!"],
  ["a trailing >-quoted block without attribution", lines("Agreed.", "", "> Shall we say Friday?", "> Studio Bloom"), "Agreed."],
  [
    "inline >-quotes with answers between them are kept",
    lines("> Which day suits you?", "Friday.", "> Morning or evening?", "Evening please."),
    lines("> Which day suits you?", "Friday.", "> Morning or evening?", "Evening please."),
  ],
  [
    "a bottom-posted reply below the quote",
    lines("On Mon, Jan 5, 2026 at 10:00 AM Studio Bloom <hello@studiobloom.com> wrote:", "> Would Friday suit you?", "", "Friday is great.", "", "-- ", "Ana"),
    "Friday is great.",
  ],
  [
    "only quoted history is empty",
    lines("On Mon, Jan 5, 2026 at 10:00 AM Studio Bloom <hello@studiobloom.com> wrote:", "> Would Friday suit you?"),
    "",
  ],
  [
    "unquoted text below an attribution is the old message, not a reply",
    lines("On Mon, Jan 5, 2026 at 10:00 AM Studio Bloom <hello@studiobloom.com> wrote:", "Would Friday suit you?"),
    "",
  ],
  ["Windows line endings", "Yes please\r\n\r\nOn Mon, Jan 5, 2026 at 10:00 AM Bloom <a@b.com> wrote:\r\n> hi\r\n", "Yes please"],
  [
    "sentences that merely look like markers are kept",
    lines("On Monday I can come.", "Sent from my office I can't call, please email.", "From: the team, I mean."),
    lines("On Monday I can come.", "Sent from my office I can't call, please email.", "From: the team, I mean."),
  ],
];

describe("stripQuotedHistory", () => {
  it.each(CASES)("%s", (_name, input, expected) => {
    expect(stripQuotedHistory(input)).toBe(expected);
  });
});
