import { z } from "zod";
import { capLength } from "../text/cap.ts";
import { KNOWLEDGE_DOCUMENT_MAX_CHARS, KNOWLEDGE_DOCUMENTS_PER_USER_MAX, KNOWLEDGE_TITLE_MAX_CHARS } from "./limits.ts";

// Files and websites as knowledge (docs/decisions/0020): which files are taken, what a crawl may
// reach, the caps, and how crawled pages become one document. The parsers and the HTTP client
// live in packages/integrations; the rules they follow live here.

/** An uploaded file: a 200-page PDF with images is a few MB; 10 MB is what a web form sends in a few seconds. */
export const KNOWLEDGE_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** A PDF's pages read at most; a longer one is refused rather than half read. */
export const KNOWLEDGE_PDF_MAX_PAGES = 500;
/** What a DOCX (a zip) may unpack to: its text is far smaller; more is a zip bomb. */
export const KNOWLEDGE_DOCX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024;
export const KNOWLEDGE_FILENAME_MAX_CHARS = 255;
export const KNOWLEDGE_URL_MAX_CHARS = 2_000;

/** Pages one website document holds at most (the start page included). */
export const CRAWL_MAX_PAGES = 50;
/**
 * Pages fetched per knowledge:crawl run: a run takes seconds on a healthy site, then the owner's
 * other knowledge jobs have their turn (a continuation waits for the worker's next poll, about 2 s).
 */
export const CRAWL_PAGES_PER_RUN = 10;
/** A page's body read at most; a bigger page is skipped. */
export const CRAWL_PAGE_MAX_BYTES = 2 * 1024 * 1024;
export const CRAWL_ROBOTS_MAX_BYTES = 512 * 1024;
/** One request's deadline, connection to last byte. */
export const CRAWL_FETCH_TIMEOUT_MS = 10_000;
export const CRAWL_MAX_REDIRECTS = 5;
/** Sent with every request and matched against robots.txt groups. */
export const CRAWLER_USER_AGENT = "AudnixBot/1.0 (+https://audnix.ai/bot)";
export const CRAWLER_AGENT_TOKEN = "AudnixBot";

/** The document cap (KNOWLEDGE_DOCUMENTS_PER_USER_MAX) as the owner reads it. */
export const KNOWLEDGE_DOCUMENTS_LIMIT_REFUSAL = `You can keep at most ${KNOWLEDGE_DOCUMENTS_PER_USER_MAX} knowledge documents. Remove some to add more.`;

export const KNOWLEDGE_FILE_FORMATS = ["txt", "md", "html", "pdf", "docx"] as const;
export type KnowledgeFileFormat = (typeof KNOWLEDGE_FILE_FORMATS)[number];

const extensions: Record<string, KnowledgeFileFormat> = {
  txt: "txt",
  text: "txt",
  md: "md",
  markdown: "md",
  html: "html",
  htm: "html",
  pdf: "pdf",
  docx: "docx",
};

/** The content types browsers and mail clients send for each format. */
const contentTypes: Record<KnowledgeFileFormat, readonly string[]> = {
  txt: ["text/plain"],
  md: ["text/markdown", "text/x-markdown", "text/plain"],
  html: ["text/html", "application/xhtml+xml"],
  pdf: ["application/pdf", "application/x-pdf"],
  docx: ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
};

/** Sent when the browser does not know the type: the extension and the bytes decide. */
const unknownContentTypes = new Set(["", "application/octet-stream", "binary/octet-stream"]);

export type KnowledgeFileRefusal = "no_name" | "unsupported_type" | "type_mismatch" | "empty" | "too_large" | "not_that_format";

/** What the owner reads when a file is refused at upload. */
export const KNOWLEDGE_FILE_REFUSALS: Record<KnowledgeFileRefusal, string> = {
  no_name: "The file needs a name.",
  unsupported_type: "Upload a .txt, .md, .html, .pdf or .docx file.",
  type_mismatch: "The file's type does not match its name; save it again as .txt, .md, .html, .pdf or .docx.",
  empty: "The file is empty.",
  too_large: `A file can be at most ${KNOWLEDGE_FILE_MAX_BYTES / 1024 / 1024} MB.`,
  not_that_format: "The file's contents do not match its name (for example a renamed file); save it again in that format.",
};

export interface KnowledgeFileInput {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export type KnowledgeFileCheck =
  | { ok: true; format: KnowledgeFileFormat; filename: string; contentType: string }
  | { ok: false; refusal: KnowledgeFileRefusal };

/**
 * Whether an upload is taken: the extension names the format, the content type (when the browser
 * sent a meaningful one) and the first bytes must agree with it, and the size is within the cap.
 */
export function checkKnowledgeFile(input: KnowledgeFileInput): KnowledgeFileCheck {
  // Only the last path segment: some browsers and clients send a full path.
  const path = capLength(input.filename, 4 * KNOWLEDGE_FILENAME_MAX_CHARS);
  const filename = capLength(path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1).trim(), KNOWLEDGE_FILENAME_MAX_CHARS);
  if (!filename) return { ok: false, refusal: "no_name" };
  const dot = filename.lastIndexOf(".");
  const format = dot > 0 ? extensions[filename.slice(dot + 1).toLowerCase()] : undefined;
  if (!format) return { ok: false, refusal: "unsupported_type" };
  const contentType = capLength(input.contentType, 200).split(";")[0]?.trim().toLowerCase() ?? "";
  if (!unknownContentTypes.has(contentType) && !contentTypes[format].includes(contentType)) return { ok: false, refusal: "type_mismatch" };
  if (input.bytes.byteLength === 0) return { ok: false, refusal: "empty" };
  if (input.bytes.byteLength > KNOWLEDGE_FILE_MAX_BYTES) return { ok: false, refusal: "too_large" };
  if (!bytesLookLike(format, input.bytes)) return { ok: false, refusal: "not_that_format" };
  return { ok: true, format, filename, contentType: contentTypes[format][0] ?? contentType };
}

/** The format's signature: "%PDF-" near the start, a zip's "PK\x03\x04", no NUL byte in text. */
function bytesLookLike(format: KnowledgeFileFormat, bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  if (format === "pdf") return Buffer.from(head).includes("%PDF-");
  if (format === "docx") return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  return !head.includes(0);
}

/** The document's title for an uploaded file: its name without the extension. */
export function knowledgeFileTitle(filename: string): string {
  const dot = filename.lastIndexOf(".");
  const base = (dot > 0 ? filename.slice(0, dot) : filename).trim() || filename;
  return capLength(base, KNOWLEDGE_TITLE_MAX_CHARS);
}

// --- Extraction outcomes ---

export type KnowledgeExtractFailure = "encrypted" | "too_many_pages" | "unreadable" | "no_text" | "too_long" | "not_utf8" | "too_big_unpacked" | "too_slow";

export type KnowledgeExtraction = { ok: true; text: string } | { ok: false; failure: KnowledgeExtractFailure };

/** Turns a stored file into text with markdown headings (docs/decisions/0020); never throws for a bad file. */
export type KnowledgeFileExtractor = (input: { format: KnowledgeFileFormat; bytes: Uint8Array }) => Promise<KnowledgeExtraction>;

export const KNOWLEDGE_EXTRACT_FAILURES: Record<KnowledgeExtractFailure, string> = {
  encrypted: "The PDF is password-protected; upload a copy without a password.",
  too_many_pages: `The PDF has more than ${KNOWLEDGE_PDF_MAX_PAGES} pages; split it into smaller files.`,
  unreadable: "The file could not be read; it may be damaged. Save it again and upload the new copy.",
  no_text: "The file has no text to index (a scanned PDF holds only images of text).",
  too_long: `The file's text is longer than ${KNOWLEDGE_DOCUMENT_MAX_CHARS.toLocaleString("en")} characters; split it into smaller files.`,
  not_utf8: "The text file is not UTF-8; save it as UTF-8 and upload it again.",
  too_big_unpacked: "The document unpacks to more than 100 MB; save it again without embedded media.",
  too_slow: "Reading the file took too long; split it into smaller files or save it again.",
};

/** Text extracted from a file, as the chunker takes it: over the cap is refused, not cut. */
export function extractedText(text: string): KnowledgeExtraction {
  // Blank runs collapse below, so twice the cap may still fit; beyond that it cannot.
  if (text.length > 2 * KNOWLEDGE_DOCUMENT_MAX_CHARS) return { ok: false, failure: "too_long" };
  const trimmed = text.replace(/\n{3,}/g, "\n\n").trim();
  if (!trimmed) return { ok: false, failure: "no_text" };
  if (trimmed.length > KNOWLEDGE_DOCUMENT_MAX_CHARS) return { ok: false, failure: "too_long" };
  return { ok: true, text: trimmed };
}

// --- Websites ---

export type KnowledgeUrlRefusal = "invalid" | "not_http" | "credentials" | "too_long";

export const KNOWLEDGE_URL_REFUSALS: Record<KnowledgeUrlRefusal, string> = {
  invalid: "Enter a full web address, such as https://example.com/faq.",
  not_http: "Only http and https addresses can be added.",
  credentials: "Remove the user name and password from the address.",
  too_long: `Keep the address under ${KNOWLEDGE_URL_MAX_CHARS.toLocaleString("en")} characters.`,
};

/** A page address as the crawler keeps it: no fragment (the same page), no credentials. */
export function parseKnowledgeUrl(input: string): { ok: true; url: string } | { ok: false; refusal: KnowledgeUrlRefusal } {
  const text = input.trim();
  if (text.length > KNOWLEDGE_URL_MAX_CHARS) return { ok: false, refusal: "too_long" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, refusal: "invalid" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, refusal: "not_http" };
  if (url.username || url.password) return { ok: false, refusal: "credentials" };
  if (!url.hostname) return { ok: false, refusal: "invalid" };
  url.hash = "";
  return { ok: true, url: url.href };
}

/** Links that are never pages: following them would only spend the page cap. */
const assetExtension = /\.(?:png|jpe?g|gif|webp|svg|ico|bmp|avif|css|js|mjs|json|xml|rss|atom|zip|gz|tgz|rar|7z|pdf|docx?|xlsx?|pptx?|mp[34]|m4a|mov|avi|webm|ogg|wav|woff2?|ttf|eot|exe|dmg|apk)$/i;

/**
 * The page a link on `base` points at, when the crawl follows it: same origin (scheme, host and
 * port) as the start page, http(s), not an asset, fragment dropped. Null for anything else.
 */
export function crawlLinkTarget(href: string, base: string, startOrigin: string): string | null {
  if (href.length > KNOWLEDGE_URL_MAX_CHARS) return null;
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.origin !== startOrigin || url.username || url.password) return null;
  if (assetExtension.test(url.pathname)) return null;
  url.hash = "";
  return url.href;
}

export type CrawlPageProblem =
  | "robots"
  | "not_html"
  | "too_large"
  | "http_error"
  | "unreachable"
  | "timeout"
  | "private_network"
  | "off_origin_redirect"
  | "too_many_redirects"
  | "no_text"
  | "unreadable";

/** Why a page was left out, kept with the page (the owner sees it for the start page). */
export const CRAWL_PAGE_NOTES: Record<CrawlPageProblem, string> = {
  robots: "The site's robots.txt asks crawlers not to read this page.",
  not_html: "The page is not HTML or plain text.",
  too_large: `The page is larger than ${CRAWL_PAGE_MAX_BYTES / 1024 / 1024} MB.`,
  http_error: "The site answered with an error for this page.",
  unreachable: "The site could not be reached.",
  timeout: `The site did not answer within ${CRAWL_FETCH_TIMEOUT_MS / 1000} seconds.`,
  private_network: "The address is on a private network; only public websites can be added.",
  off_origin_redirect: "The page redirects to another address (for example from http to https, or to www); add that address instead.",
  too_many_redirects: "The page redirects too many times.",
  no_text: "The page has no text.",
  unreadable: "The page could not be read.",
};

export const CRAWL_FAILURE_NOTES = {
  /** No page gave text: the start page's own problem says why. */
  /** No page gave text: the start page's own note says why. */
  nothingRead: (startPageNote: string | null) => `No page of the site could be read. ${startPageNote ?? CRAWL_PAGE_NOTES.no_text}`,
} as const;

/**
 * One page as the fetcher returns it: title and text (markdown headings) and the links found,
 * as written, relative to `base` (the page's <base href>, else `url`); `url` is the address the
 * page was served from after redirects, `origin` that address's origin.
 */
export type CrawlPageResult =
  | { ok: true; url: string; base: string; origin: string; title: string | null; text: string; links: string[]; sizeBytes: number }
  | { ok: false; problem: CrawlPageProblem };

/** Fetches and reads a site's pages (packages/integrations), only where the network rules allow. */
export interface SiteFetcher {
  /** The site's robots.txt rules for our agent; a missing or unreadable file allows everything. */
  robots(origin: string): Promise<{ isAllowed(url: string): boolean }>;
  /**
   * One page; redirects stay on the page's origin, except that a crawl's start page (`start`) may
   * move to the same site's https or www address (sameSiteRedirect), which `origin` then names.
   */
  page(url: string, options?: { start?: boolean }): Promise<CrawlPageResult>;
}

/**
 * Whether a start page's redirect stays on the owner's site: http to https, or adding or dropping
 * "www.", on the same port (or both on their scheme's default). Sites redirect their bare or http
 * address this way; anything else is another site.
 */
export function sameSiteRedirect(fromOrigin: string, to: string): boolean {
  let from: URL;
  let target: URL;
  try {
    from = new URL(fromOrigin);
    target = new URL(to);
  } catch {
    return false;
  }
  const bare = (host: string) => (host.startsWith("www.") ? host.slice(4) : host);
  if (bare(from.hostname) !== bare(target.hostname)) return false;
  if (target.protocol === from.protocol) return target.port === from.port;
  return from.protocol === "http:" && target.protocol === "https:" && from.port === "" && target.port === "";
}

export interface CrawledPage {
  url: string;
  title: string | null;
  content: string;
}

/**
 * The pages of a website document, in the order the crawl found them, each under its title as a
 * top-level heading (its own headings one level down), so the chunker's heading path names the
 * page. Pages past the document's character cap are left out whole.
 */
export function crawlDocumentContent(pages: readonly CrawledPage[]): { content: string; pagesUsed: number } {
  const parts: string[] = [];
  let length = 0;
  for (const page of pages) {
    const part = `# ${pageHeading(page)}\n\n${demoteHeadings(page.content)}`;
    if (length + part.length + 2 > KNOWLEDGE_DOCUMENT_MAX_CHARS) break;
    parts.push(part);
    length += part.length + 2;
  }
  return { content: parts.join("\n\n"), pagesUsed: parts.length };
}

function pageHeading(page: CrawledPage): string {
  const title = page.title?.replace(/\s+/g, " ").trim();
  if (title) return capLength(title, KNOWLEDGE_TITLE_MAX_CHARS);
  const url = new URL(page.url);
  return capLength(`${url.host}${url.pathname}`, KNOWLEDGE_TITLE_MAX_CHARS);
}

/** "# X" becomes "## X" (a sixth level stays sixth): the page title is the level above. */
function demoteHeadings(text: string): string {
  return text.replace(/^(#{1,5}) /gm, "#$1 ");
}

/** The title of a website document before its first page is read: host and path. */
export function knowledgeUrlTitle(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname === "/" ? "" : parsed.pathname;
  return capLength(`${parsed.host}${path}`, KNOWLEDGE_TITLE_MAX_CHARS);
}

// --- Jobs ---

export const KNOWLEDGE_EXTRACT_TASK = "knowledge:extract";
export const KNOWLEDGE_CRAWL_TASK = "knowledge:crawl";

/**
 * Both run on the owner's knowledge queue (knowledgeQueueName), like knowledge:ingest: an owner's
 * sources are read one at a time and a long crawl occupies at most one worker. `revision` ties the
 * job to the add or re-index that queued it.
 */
export const knowledgeSourcePayloadSchema = z.object({
  userId: z.uuid(),
  documentId: z.uuid(),
  revision: z.number().int().min(1),
});

export type KnowledgeSourcePayload = z.output<typeof knowledgeSourcePayloadSchema>;

export function knowledgeSourceJobKey(task: typeof KNOWLEDGE_EXTRACT_TASK | typeof KNOWLEDGE_CRAWL_TASK, documentId: string): string {
  return `${task}:${documentId}`;
}

// --- PDF layout ---

/** A run of text on a PDF page, as the PDF reader gives it (in reading order). */
export interface PdfTextItem {
  text: string;
  fontSize: number;
  /** The item ends its line. */
  endsLine: boolean;
}

/** A line this much larger than the body text, and short, reads as a heading. */
const PDF_HEADING_SIZE_RATIO = 1.2;
const PDF_HEADING_MAX_CHARS = 120;
/** Distinct heading sizes kept as levels; smaller ones join the last level. */
const PDF_HEADING_LEVELS = 3;

/**
 * A PDF's pages as text with markdown headings: PDFs carry no heading structure (untagged ones),
 * so a short line set clearly larger than the body text (the size most characters have) is a
 * heading, the largest size level 1. Lines of a page are joined into paragraphs.
 */
export function pdfPagesToMarkdown(pages: readonly (readonly PdfTextItem[])[]): string {
  const lines = pages.map((items) => pdfLines(items));
  const charsBySize = new Map<number, number>();
  for (const line of lines.flat()) charsBySize.set(line.size, (charsBySize.get(line.size) ?? 0) + line.text.length);
  let bodySize = 0;
  let most = -1;
  for (const [size, chars] of charsBySize) {
    if (chars > most) [bodySize, most] = [size, chars];
  }
  const headingSizes = [...charsBySize.keys()].filter((size) => size >= bodySize * PDF_HEADING_SIZE_RATIO).sort((a, b) => b - a);
  const level = (size: number) => Math.min(headingSizes.indexOf(size) + 1, PDF_HEADING_LEVELS);
  return lines
    .map((pageLines) => {
      const out: string[] = [];
      let paragraph: string[] = [];
      const flush = () => {
        if (paragraph.length) out.push(paragraph.join(" "));
        paragraph = [];
      };
      for (const line of pageLines) {
        if (headingSizes.includes(line.size) && line.text.length <= PDF_HEADING_MAX_CHARS) {
          flush();
          out.push(`${"#".repeat(level(line.size))} ${line.text}`);
        } else if (line.text) paragraph.push(line.text);
        else flush();
      }
      flush();
      return out.join("\n\n");
    })
    .filter(Boolean)
    .join("\n\n");
}

/** Items joined into lines; a line's size is that of most of its characters, rounded to a half point. */
function pdfLines(items: readonly PdfTextItem[]): Array<{ text: string; size: number }> {
  const lines: Array<{ text: string; size: number }> = [];
  let text = "";
  const sizes = new Map<number, number>();
  const end = () => {
    let size = 0;
    let most = -1;
    for (const [s, chars] of sizes) if (chars > most) [size, most] = [s, chars];
    lines.push({ text: text.replace(/\s+/g, " ").trim(), size });
    text = "";
    sizes.clear();
  };
  for (const item of items) {
    text += item.text;
    if (item.text.trim()) {
      const size = Math.round(item.fontSize * 2) / 2;
      sizes.set(size, (sizes.get(size) ?? 0) + item.text.length);
    }
    if (item.endsLine) end();
  }
  if (text) end();
  return lines;
}
