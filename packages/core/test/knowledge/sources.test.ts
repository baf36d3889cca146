import { describe, expect, it } from "vitest";
import {
  checkKnowledgeFile,
  chunkText,
  crawlDocumentContent,
  crawlLinkTarget,
  extractedText,
  KNOWLEDGE_DOCUMENT_MAX_CHARS,
  KNOWLEDGE_FILE_MAX_BYTES,
  knowledgeFileTitle,
  knowledgeUrlTitle,
  parseKnowledgeUrl,
  pdfPagesToMarkdown,
  sameSiteRedirect,
  type PdfTextItem,
} from "../../src/index.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("checkKnowledgeFile", () => {
  it("names the format by the extension, with the type browsers send for it or none", () => {
    expect(checkKnowledgeFile({ filename: "Guide.PDF", contentType: "application/pdf", bytes: bytes("%PDF-1.7") })).toEqual({
      ok: true,
      format: "pdf",
      filename: "Guide.PDF",
      contentType: "application/pdf",
    });
    expect(checkKnowledgeFile({ filename: "notes.markdown", contentType: "", bytes: bytes("# Hi") })).toMatchObject({ ok: true, format: "md", contentType: "text/markdown" });
    expect(checkKnowledgeFile({ filename: "page.htm", contentType: "text/html; charset=utf-8", bytes: bytes("<p>") })).toMatchObject({ ok: true, format: "html" });
    expect(checkKnowledgeFile({ filename: "C:\\fakepath\\faq.txt", contentType: "text/plain", bytes: bytes("Q") })).toMatchObject({ ok: true, filename: "faq.txt" });
  });

  it("refuses other types, disagreeing types, renamed files, empty and oversized ones", () => {
    const refusal = (filename: string, contentType: string, content: Uint8Array) => {
      const check = checkKnowledgeFile({ filename, contentType, bytes: content });
      return check.ok ? null : check.refusal;
    };
    expect(refusal("photo.jpg", "image/jpeg", bytes("x"))).toBe("unsupported_type");
    expect(refusal(".pdf", "application/pdf", bytes("%PDF-"))).toBe("unsupported_type");
    expect(refusal("a.txt", "application/pdf", bytes("x"))).toBe("type_mismatch");
    expect(refusal("a.docx", "application/octet-stream", bytes("not a zip"))).toBe("not_that_format");
    expect(refusal("a.txt", "text/plain", new Uint8Array([0x61, 0x00, 0x62]))).toBe("not_that_format");
    expect(refusal("a.txt", "text/plain", new Uint8Array(0))).toBe("empty");
    expect(refusal("a.txt", "text/plain", new Uint8Array(KNOWLEDGE_FILE_MAX_BYTES + 1))).toBe("too_large");
  });

  it("titles the document by the file's name", () => {
    expect(knowledgeFileTitle("Price list 2026.docx")).toBe("Price list 2026");
    expect(knowledgeFileTitle(".env")).toBe(".env");
  });
});

describe("extractedText", () => {
  it("collapses blank runs, refuses no text and text over the document cap", () => {
    expect(extractedText("\n\n# A\n\n\n\n\nB  \n")).toEqual({ ok: true, text: "# A\n\nB" });
    expect(extractedText(" \n\t\n")).toEqual({ ok: false, failure: "no_text" });
    expect(extractedText("a".repeat(KNOWLEDGE_DOCUMENT_MAX_CHARS + 1))).toEqual({ ok: false, failure: "too_long" });
  });
});

describe("website addresses", () => {
  it("takes http(s) addresses without credentials, dropping the fragment", () => {
    expect(parseKnowledgeUrl(" https://shop.example/faq?lang=pt#returns ")).toEqual({ ok: true, url: "https://shop.example/faq?lang=pt" });
    expect(parseKnowledgeUrl("javascript:alert(1)")).toEqual({ ok: false, refusal: "not_http" });
    expect(parseKnowledgeUrl("file:///etc/passwd")).toEqual({ ok: false, refusal: "not_http" });
    expect(parseKnowledgeUrl("https://a:b@shop.example/")).toEqual({ ok: false, refusal: "credentials" });
    expect(parseKnowledgeUrl("shop.example/faq")).toEqual({ ok: false, refusal: "invalid" });
    expect(parseKnowledgeUrl(`https://shop.example/${"a".repeat(2_000)}`)).toEqual({ ok: false, refusal: "too_long" });
    expect(knowledgeUrlTitle("https://shop.example/")).toBe("shop.example");
    expect(knowledgeUrlTitle("https://shop.example:8443/help/faq")).toBe("shop.example:8443/help/faq");
  });

  it("follows links on the start page's origin only, never assets, one address per page", () => {
    const origin = "https://shop.example";
    const base = "https://shop.example/help/";
    expect(crawlLinkTarget("faq#top", base, origin)).toBe("https://shop.example/help/faq");
    expect(crawlLinkTarget("/about?x=1", base, origin)).toBe("https://shop.example/about?x=1");
    expect(crawlLinkTarget("http://shop.example/about", base, origin)).toBeNull();
    expect(crawlLinkTarget("https://blog.shop.example/", base, origin)).toBeNull();
    expect(crawlLinkTarget("https://shop.example:8443/", base, origin)).toBeNull();
    expect(crawlLinkTarget("mailto:hi@shop.example", base, origin)).toBeNull();
    expect(crawlLinkTarget("/catalog.PDF", base, origin)).toBeNull();
    expect(crawlLinkTarget("/img/dress.jpg", base, origin)).toBeNull();
    expect(crawlLinkTarget("http://[bad", base, origin)).toBeNull();
  });
});

describe("sameSiteRedirect", () => {
  it("lets a start page move to its https or www address, nowhere else", () => {
    expect(sameSiteRedirect("http://shop.example", "https://shop.example/")).toBe(true);
    expect(sameSiteRedirect("https://shop.example", "https://www.shop.example/home")).toBe(true);
    expect(sameSiteRedirect("http://www.shop.example", "https://shop.example/")).toBe(true);
    expect(sameSiteRedirect("http://shop.example:8080", "http://www.shop.example:8080/")).toBe(true);
    expect(sameSiteRedirect("https://shop.example", "http://shop.example/")).toBe(false);
    expect(sameSiteRedirect("https://shop.example", "https://shop.example:8443/")).toBe(false);
    expect(sameSiteRedirect("http://shop.example:8080", "https://shop.example/")).toBe(false);
    expect(sameSiteRedirect("https://shop.example", "https://blog.shop.example/")).toBe(false);
    expect(sameSiteRedirect("https://shop.example", "https://shop.example.evil.test/")).toBe(false);
    expect(sameSiteRedirect("https://www.example", "https://example/")).toBe(true);
  });
});

describe("crawlDocumentContent", () => {
  it("puts each page under its title, its own headings one level down, so heading paths name the page", () => {
    const { content, pagesUsed } = crawlDocumentContent([
      { url: "https://shop.example/", title: "  Lisbon   Linen ", content: "# Welcome\n\nHand-made dresses." },
      { url: "https://shop.example/faq", title: null, content: "###### Deep\n\nStill level six." },
    ]);
    expect(pagesUsed).toBe(2);
    expect(chunkText(content).map((chunk) => chunk.headingPath)).toEqual([
      ["Lisbon Linen", "Welcome"],
      ["shop.example/faq", "Deep"],
    ]);
  });

  it("leaves out whole pages past the document cap", () => {
    const page = (n: number) => ({ url: `https://shop.example/${n}`, title: `Page ${n}`, content: "x".repeat(KNOWLEDGE_DOCUMENT_MAX_CHARS / 3) });
    const { content, pagesUsed } = crawlDocumentContent([page(1), page(2), page(3), page(4)]);
    expect(pagesUsed).toBe(2);
    expect(content.length).toBeLessThanOrEqual(KNOWLEDGE_DOCUMENT_MAX_CHARS);
  });
});

describe("pdfPagesToMarkdown", () => {
  const line = (text: string, fontSize: number): PdfTextItem[] => [
    { text, fontSize, endsLine: false },
    { text: "", fontSize, endsLine: true },
  ];

  it("reads short lines set larger than the body as headings, the largest as level 1", () => {
    const pages = [
      [...line("Store guide", 24), ...line("Shipping", 16), ...line("Parcels to Spain take", 11), ...line("3 days.", 11.2)],
      [...line("Returns", 16), ...line("Thirty days for a refund.", 11), ...line("Printed 2026", 8)],
    ];
    expect(pdfPagesToMarkdown(pages)).toBe("# Store guide\n\n## Shipping\n\nParcels to Spain take 3 days.\n\n## Returns\n\nThirty days for a refund. Printed 2026");
  });

  it("keeps a document of one size as paragraphs, and a long large line as text", () => {
    expect(pdfPagesToMarkdown([[...line("Only body text here.", 11)]])).toBe("Only body text here.");
    const long = "A very long line set in a large size that runs on and on ".repeat(3).trim();
    expect(pdfPagesToMarkdown([[...line(long, 20), ...line("body", 11), ...line("more body", 11), ...line("and more body text", 11)]])).toBe(
      `${long} body more body and more body text`,
    );
  });
});
