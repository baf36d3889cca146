import { capLength } from "@audnix/core";
import { convert } from "html-to-text";

/**
 * The most of an HTML body converted. Gmail itself clips a message whose HTML passes 102 KB, and
 * the lead's reply sits at the top, above the quoted thread. The parser slows down sharply on
 * hostile nesting, so a 25 MB body is cut before it is parsed.
 */
export const HTML_INPUT_CHARS = 100_000;

/**
 * Deepest element whose content is written out. html-to-text walks the tree recursively and
 * overflowed the stack on about 3,000 nested elements; a reply under a long quoted thread is
 * nowhere near this deep. Deeper content is dropped without a marker.
 */
export const HTML_MAX_DEPTH = 128;

/**
 * Plain text of an HTML mail body (its first HTML_INPUT_CHARS). Quotes stay ">"-prefixed and lines
 * unwrapped, so the quoted-history stripper recognizes attribution lines and quoted blocks as it
 * does in text parts.
 */
export function htmlText(html: string): string {
  return convert(capLength(html, HTML_INPUT_CHARS), {
    wordwrap: false,
    limits: { maxDepth: HTML_MAX_DEPTH, ellipsis: "" },
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}
