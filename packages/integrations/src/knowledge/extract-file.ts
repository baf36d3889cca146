import {
  extractedText,
  KNOWLEDGE_DOCX_MAX_UNPACKED_BYTES,
  KNOWLEDGE_PDF_MAX_PAGES,
  pdfPagesToMarkdown,
  type KnowledgeExtraction,
  type KnowledgeFileExtractor,
  type KnowledgeFileFormat,
} from "@audnix/core";
import { unzipSync } from "fflate";
import mammoth from "mammoth";
import { marked } from "marked";
import { extractTextItems, getDocumentProxy } from "unpdf";
import { htmlDocumentText } from "./html-document.ts";

// Uploaded files to text with markdown headings (docs/decisions/0020): PDF through pdf.js (unpdf's
// build for servers), DOCX through mammoth (heading styles become h1-h6), markdown through marked,
// and every HTML through the one walker. A file that cannot be read is a failure, never a throw.

/** Reads a stored upload; runs in the worker (knowledge:extract), never on a web request. */
export const extractKnowledgeFile: KnowledgeFileExtractor = async ({ format, bytes }) => {
  try {
    return await readers[format](bytes);
  } catch {
    // Parsers throw their own errors on damaged input (and may on inputs they were never tested
    // on): for the owner it is the same fact, the file could not be read. Nothing of the
    // parser's message is kept (it can quote the file).
    return { ok: false, failure: "unreadable" };
  }
};

const readers: Record<KnowledgeFileFormat, (bytes: Uint8Array) => Promise<KnowledgeExtraction>> = {
  txt: async (bytes) => {
    const text = utf8(bytes);
    return text === null ? { ok: false, failure: "not_utf8" } : extractedText(text);
  },
  md: async (bytes) => {
    const text = utf8(bytes);
    if (text === null) return { ok: false, failure: "not_utf8" };
    // Through HTML, so setext headings, emphasis and links read like every other format.
    return extractedText(htmlDocumentText(await marked.parse(text, { gfm: true }), { page: false }));
  },
  html: async (bytes) => {
    const text = utf8(bytes);
    return text === null ? { ok: false, failure: "not_utf8" } : extractedText(htmlDocumentText(text, { page: true }));
  },
  pdf: readPdf,
  docx: readDocx,
};

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

async function readPdf(bytes: Uint8Array): Promise<KnowledgeExtraction> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes the buffer over (detaches it): a copy keeps the stored bytes usable.
    // Verbosity 0: pdf.js's own warnings (about damaged files) would go to stdout, past our logger.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    if (error instanceof Error && error.name === "PasswordException") return { ok: false, failure: "encrypted" };
    return { ok: false, failure: "unreadable" };
  }
  try {
    if (pdf.numPages > KNOWLEDGE_PDF_MAX_PAGES) return { ok: false, failure: "too_many_pages" };
    const { items } = await extractTextItems(pdf);
    const pages = items.map((pageItems) => pageItems.map((item) => ({ text: item.str, fontSize: item.fontSize, endsLine: item.hasEOL })));
    return extractedText(pdfPagesToMarkdown(pages));
  } finally {
    await pdf.loadingTask.destroy();
  }
}

async function readDocx(bytes: Uint8Array): Promise<KnowledgeExtraction> {
  // The zip's directory says what it unpacks to before anything is unpacked: a small file that
  // inflates to gigabytes would take the worker's memory.
  let unpacked = 0;
  unzipSync(bytes, {
    filter: (file) => {
      unpacked += file.originalSize;
      return false;
    },
  });
  if (unpacked > KNOWLEDGE_DOCX_MAX_UNPACKED_BYTES) return { ok: false, failure: "too_big_unpacked" };
  // Pictures would come inline as base64 data: megabytes of HTML that carry no text.
  const dropImages = mammoth.images.imgElement(async () => ({ src: "" }));
  const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { convertImage: dropImages });
  return extractedText(htmlDocumentText(html, { page: false }));
}
