import { capLength } from "@audnix/core";
import { convert, type FormatCallback, type SelectorDefinition } from "html-to-text";
import { Parser } from "htmlparser2";
import { HTML_MAX_DEPTH } from "../email/html-text.ts";

// Knowledge text from HTML (web pages, uploaded .html, and the HTML that DOCX and markdown are
// converted to), through the same html-to-text walker as mail bodies (email/html-text.ts), with
// markdown headings so the chunker's heading paths work (docs/decisions/0020).

/** HTML read at most: a 10 MB upload whole; the walker is linear, and its depth is capped. */
export const KNOWLEDGE_HTML_MAX_CHARS = 12_000_000;

/** A heading as the chunker reads it: "#" per level, then the heading's text on its line. */
function markdownHeading(level: number): FormatCallback {
  return (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addLiteral(`${"#".repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };
}

const headingLevels = [1, 2, 3, 4, 5, 6] as const;

/**
 * What is not the page's content: site navigation, banners and footers, side columns, scripts,
 * forms, and cookie or consent banners by the id, class and label patterns their vendors use
 * (OneTrust, Cookiebot, CookieConsent, GDPR plugins). Attribute matching is case-sensitive,
 * hence both spellings.
 */
const boilerplate = [
  "nav",
  "header",
  "footer",
  "aside",
  "form",
  "button",
  "select",
  "dialog",
  "[role=navigation]",
  "[role=banner]",
  "[role=contentinfo]",
  "[role=complementary]",
  "[role=search]",
  "[aria-hidden=true]",
  "[hidden]",
  ...["cookie", "Cookie", "consent", "Consent", "gdpr", "GDPR", "onetrust", "CybotCookiebot"].flatMap((word) => [
    `[id*=${word}]`,
    `[class*=${word}]`,
    `[aria-label*=${word}]`,
  ]),
];

/** Never text, in any document. */
const neverText = ["head", "title", "script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "img", "video", "audio"];

function selectors(dropBoilerplate: boolean): SelectorDefinition[] {
  return [
    ...headingLevels.map((level) => ({ selector: `h${level}`, format: `h${level}` })),
    { selector: "a", options: { ignoreHref: true } },
    { selector: "table", format: "dataTable" },
    ...neverText.map((selector) => ({ selector, format: "skip" })),
    ...(dropBoilerplate ? boilerplate.map((selector) => ({ selector, format: "skip" })) : []),
  ];
}

const formatters = Object.fromEntries(headingLevels.map((level) => [`h${level}`, markdownHeading(level)]));

/**
 * The text of an HTML document with markdown headings. `page`: a web page (or an uploaded page),
 * read from its main content (main, [role=main], article, else body) without boilerplate; else a
 * converted document (DOCX, markdown), read whole.
 */
export function htmlDocumentText(html: string, options: { page: boolean }): string {
  return convert(capLength(html, KNOWLEDGE_HTML_MAX_CHARS), {
    wordwrap: false,
    limits: { maxDepth: HTML_MAX_DEPTH, ellipsis: "" },
    ...(options.page ? { baseElements: { selectors: ["main", "[role=main]", "article", "body"], returnDomByDefault: true } } : {}),
    formatters,
    selectors: selectors(options.page),
  });
}

/** A page's title and the links on it (href as written), in document order. */
export function htmlPageOutline(html: string): { title: string | null; links: string[]; base: string | null } {
  let title: string | null = null;
  let inTitle = false;
  let titleText = "";
  let base: string | null = null;
  const links: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === "title" && title === null) inTitle = true;
        else if (name === "a" && attributes.href && !/\bnofollow\b/i.test(capLength(attributes.rel ?? "", 200))) links.push(attributes.href);
        else if (name === "base" && attributes.href && base === null) base = attributes.href;
      },
      ontext(text) {
        // A title that never closes would otherwise take in the whole page.
        if (inTitle && titleText.length < 1_000) titleText += text;
      },
      onclosetag(name) {
        if (name === "title" && inTitle) {
          inTitle = false;
          title = titleText.replace(/\s+/g, " ").trim() || null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(capLength(html, KNOWLEDGE_HTML_MAX_CHARS));
  return { title, links, base };
}
