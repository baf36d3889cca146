import { describe, expect, it } from "vitest";
import { adversarialTexts } from "../../../core/test/support/adversarial-texts.ts";
import { htmlText } from "../../src/email/html-text.ts";
import { EMAIL_TEXT_FUNCTIONS } from "../support/email-text-functions.ts";

// As in core's adversarial test: no timings, a super-linear (or stack-hungry) conversion fails by
// timing out or throwing.

const MEGABYTE_TEXTS = adversarialTexts(1_000_000);

describe.each(EMAIL_TEXT_FUNCTIONS)("$name on 1 MB adversarial texts", (textFunction) => {
  it.each(MEGABYTE_TEXTS)("finishes on $name", ({ text }) => {
    textFunction.run(text);
  });
});

describe("htmlText", () => {
  it("keeps the reply on top of markup nested 200,000 deep", () => {
    const html = `<p>Friday works.</p>${"<div>".repeat(200_000)}old thread`;
    expect(htmlText(html).trim()).toBe("Friday works.");
  });

  it("keeps the reply above a quote chain nested past any real thread", () => {
    const html = `<div>Yes please.</div><blockquote>${"<blockquote>On Mon Ana wrote:<br>".repeat(50_000)}</blockquote>`;
    expect(htmlText(html).split("\n")[0]).toBe("Yes please.");
  });

  it("still writes quotes as > lines and links once", () => {
    const html = '<p>See <a href="https://lumen.example/course">https://lumen.example/course</a></p><blockquote><p>Hi Ana</p></blockquote>';
    expect(htmlText(html)).toBe("See https://lumen.example/course\n\n> Hi Ana");
  });
});
