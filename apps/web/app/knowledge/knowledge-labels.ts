// How the knowledge page names things; shared by the server (messages) and the browser (the page).

/** What an owner may upload and send, passed from the server (core's limits) to the page. */
export interface KnowledgeLimits {
  titleMaxChars: number;
  textMaxChars: number;
  questionMaxChars: number;
  answerMaxChars: number;
  fileMaxBytes: number;
  /** Lower-case, with the dot: ".pdf". */
  fileExtensions: string[];
  /** Pages one website source reads at most. */
  crawlMaxPages: number;
}

export const KIND_NAMES = { text: "Pasted text", faq: "FAQ", file: "File", url: "Website" } as const;

export const STATUS_NAMES = { processing: "Processing", ready: "Ready", failed: "Failed" } as const;

const LOCALE = "en";
const number = new Intl.NumberFormat(LOCALE);

const KB = 1024;
const MB = 1024 * KB;

/** "1.5 MB", "820 KB", "12 bytes", in units of 1,024 as the upload limit is stated (10 MB = 10 × 1,024²). */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return `${number.format(bytes)} ${bytes === 1 ? "byte" : "bytes"}`;
  const [size, unit] = bytes < MB ? [bytes / KB, "KB"] : [bytes / MB, "MB"];
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits: size < 10 ? 1 : 0 }).format(size)} ${unit}`;
}

export function formatCount(count: number, one: string, many: string): string {
  return `${number.format(count)} ${count === 1 ? one : many}`;
}
