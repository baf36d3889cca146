import { chunkText, KNOWLEDGE_DOCUMENT_MAX_CHARS } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { extractKnowledgeFile } from "../../src/knowledge/extract-file.ts";
import { createKnowledgeExtractPool } from "../../src/knowledge/extract-pool.ts";
import { htmlDocumentText } from "../../src/knowledge/html-document.ts";
import { buildDocx, buildPdf, buildZipBomb } from "../../src/testing/knowledge-files.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const headingPaths = (text: string) => chunkText(text).map((chunk) => [chunk.headingPath, chunk.content]);

describe("HTML pages", () => {
  it("keeps the main content with h1-h6 as markdown headings", () => {
    const html = `<body><main><h1>Shop</h1><p>Welcome.</p><h2>Returns</h2><h3>Sale items</h3><p>Final sale.</p>
      <h6>Fine print</h6><p>Small.</p></main></body>`;
    expect(headingPaths(htmlDocumentText(html, { page: true }))).toEqual([
      [["Shop"], "Welcome."],
      [["Shop", "Returns", "Sale items"], "Final sale."],
      [["Shop", "Returns", "Sale items", "Fine print"], "Small."],
    ]);
  });

  it("drops navigation, banners, footers, side columns, scripts, forms and cookie or consent banners", () => {
    const html = `<body>
      <header><h1>Brand</h1></header><nav>Home Shop</nav><div role="navigation">Menu</div>
      <div id="onetrust-banner-sdk">Allow all cookies</div><div class="cc-window CookieConsent">Consent</div>
      <section aria-label="Cookie preferences">Preferences</section><div id="CybotCookiebotDialog">Cookiebot</div>
      <div class="gdpr-notice">GDPR</div><div aria-hidden="true">Hidden</div><script>var x = 1;</script><style>p{}</style>
      <h2>Delivery</h2><p>Parcels leave every weekday.</p>
      <form><label>Email</label><input></form><aside>Related posts</aside><footer>Copyright</footer>
    </body>`;
    expect(htmlDocumentText(html, { page: true })).toBe("## Delivery\n\nParcels leave every weekday.");
  });

  it("survives deep nesting and keeps tables readable", () => {
    const deep = `${"<div>".repeat(5_000)}deep${"</div>".repeat(5_000)}<p>after</p>`;
    expect(htmlDocumentText(deep, { page: true })).toContain("after");
    expect(htmlDocumentText("<table><tr><th>Size</th><th>Chest</th></tr><tr><td>S</td><td>86 cm</td></tr></table>", { page: false })).toMatch(
      /SIZE\s+CHEST\nS\s+86 cm/,
    );
  });
});

describe("extractKnowledgeFile", () => {
  it("reads markdown through a real parser: setext headings, no formatting marks", async () => {
    const result = await extractKnowledgeFile({ format: "md", bytes: encode("Guide\n=====\n\nWe **ship** to [Spain](https://x.example).\n\nReturns\n-------\n\n- 30 days\n") });
    expect(result).toEqual({ ok: true, text: "# Guide\n\nWe ship to Spain.\n\n## Returns\n\n * 30 days" });
  });

  it("reads DOCX heading styles as heading levels", async () => {
    const docx = await buildDocx([
      { heading: "Store guide", paragraphs: ["Welcome to the shop."] },
      { heading: "Opening hours", level: 2, paragraphs: ["Tuesday to Sunday."] },
    ]);
    const result = await extractKnowledgeFile({ format: "docx", bytes: docx });
    expect(result.ok && headingPaths(result.text)).toEqual([
      [["Store guide"], "Welcome to the shop."],
      [["Store guide", "Opening hours"], "Tuesday to Sunday."],
    ]);
  });

  it("reads a DOCX's text around a large picture without carrying the picture", async () => {
    // A PNG signature, then 9 MB of picture data: inlined as base64 it alone passes the HTML cap,
    // and the text after it was lost.
    const photo = new Uint8Array(9 * 1024 * 1024).map((_, i) => (i * 2_654_435_761) >>> 24);
    photo.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const docx = await buildDocx([{ heading: "Lookbook", paragraphs: ["The text after the picture."] }], { image: photo });
    expect(await extractKnowledgeFile({ format: "docx", bytes: docx })).toEqual({ ok: true, text: "# Lookbook\n\nThe text after the picture." });
  });

  it("refuses a DOCX that unpacks past the cap before unpacking it", async () => {
    expect(await extractKnowledgeFile({ format: "docx", bytes: buildZipBomb(120 * 1024 * 1024) })).toEqual({ ok: false, failure: "too_big_unpacked" });
  });

  it("reads a PDF's larger lines as headings and leaves the stored bytes intact", async () => {
    const pdf = await buildPdf([{ heading: "Shipping", paragraphs: ["Parcels to Spain take 3 days."] }]);
    const copy = pdf.slice();
    expect(await extractKnowledgeFile({ format: "pdf", bytes: pdf })).toEqual({ ok: true, text: "# Shipping\n\nParcels to Spain take 3 days." });
    expect(pdf).toEqual(copy);
  });

  it("refuses text past the document cap rather than cutting it", async () => {
    const long = encode(`${"word ".repeat(KNOWLEDGE_DOCUMENT_MAX_CHARS / 5)}more`);
    expect(await extractKnowledgeFile({ format: "txt", bytes: long })).toEqual({ ok: false, failure: "too_long" });
  });
});

describe("createKnowledgeExtractPool", () => {
  it("parses on a worker thread with the same result as in process", async () => {
    const pool = createKnowledgeExtractPool();
    try {
      const docx = await buildDocx([{ heading: "Sizes", paragraphs: ["S, M and L."] }]);
      expect(await pool.extract({ format: "docx", bytes: docx })).toEqual(await extractKnowledgeFile({ format: "docx", bytes: docx }));
      expect(await pool.extract({ format: "pdf", bytes: encode("%PDF-1.7 broken") })).toEqual({ ok: false, failure: "unreadable" });
    } finally {
      await pool.close();
    }
  });

  it("ends a parse that never finishes at its budget, and the next file gets a fresh thread", async () => {
    const pool = createKnowledgeExtractPool({ budgetMs: 300, maxThreads: 1, workerUrl: new URL("../support/never-finishing-extract-worker.ts", import.meta.url).href });
    try {
      expect(await pool.extract({ format: "txt", bytes: encode("x") })).toEqual({ ok: false, failure: "too_slow" });
      expect(await pool.extract({ format: "txt", bytes: encode("y") })).toEqual({ ok: false, failure: "too_slow" });
    } finally {
      await pool.close();
    }
  });
});
