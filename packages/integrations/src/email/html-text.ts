import { convert } from "html-to-text";

/**
 * Plain text of an HTML mail body. Quotes stay ">"-prefixed and lines unwrapped, so the quoted-history
 * stripper recognizes attribution lines and quoted blocks as it does in text parts.
 */
export function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}
