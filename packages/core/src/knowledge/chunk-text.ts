import { capLength } from "../text/cap.ts";
import { CHUNK_OVERLAP_TOKENS, CHUNK_TARGET_TOKENS, HEADING_MAX_CHARS, KNOWLEDGE_DOCUMENT_MAX_CHARS } from "./limits.ts";
import { charsForTokens, estimateTokens } from "./tokens.ts";

export interface KnowledgeChunkDraft {
  content: string;
  /** The headings above the chunk, outermost first. */
  headingPath: string[];
  tokenEstimate: number;
}

export interface ChunkOptions {
  targetTokens?: number;
  overlapTokens?: number;
}

interface Section {
  headingPath: string[];
  paragraphs: string[];
}

/**
 * Splits plain text or markdown into chunks of about CHUNK_TARGET_TOKENS that never cross a
 * heading, each carrying its heading path; a section longer than one chunk continues with the
 * previous chunk's last CHUNK_OVERLAP_TOKENS repeated. Linear in the text's length.
 */
export function chunkText(text: string, options: ChunkOptions = {}): KnowledgeChunkDraft[] {
  const targetChars = charsForTokens(options.targetTokens ?? CHUNK_TARGET_TOKENS);
  const overlapChars = charsForTokens(options.overlapTokens ?? CHUNK_OVERLAP_TOKENS);
  const chunks: KnowledgeChunkDraft[] = [];
  for (const section of sections(capLength(text, KNOWLEDGE_DOCUMENT_MAX_CHARS))) {
    for (const content of packSection(section.paragraphs, targetChars, overlapChars)) {
      chunks.push({ content, headingPath: section.headingPath, tokenEstimate: estimateTokens(content) });
    }
  }
  return chunks;
}

/** One FAQ pair is one chunk, so a question retrieves its whole answer. */
export function faqChunk(question: string, answer: string): KnowledgeChunkDraft {
  const content = `Q: ${question.trim()}\nA: ${answer.trim()}`;
  return { content, headingPath: [], tokenEstimate: estimateTokens(content) };
}

/** What is indexed and embedded for a chunk: the document title and headings name its subject. */
export function chunkSearchText(title: string, chunk: Pick<KnowledgeChunkDraft, "content" | "headingPath">): string {
  return [title, ...chunk.headingPath, chunk.content].filter((part) => part !== "").join("\n");
}

function sections(text: string): Section[] {
  const result: Section[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  let current: Section = { headingPath: [], paragraphs: [] };
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) current.paragraphs.push(paragraph.join("\n"));
    paragraph = [];
  };
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    const heading = parseHeading(line);
    if (heading) {
      endParagraph();
      if (current.paragraphs.length) result.push(current);
      while (headings.length && (headings.at(-1)?.level ?? 0) >= heading.level) headings.pop();
      headings.push(heading);
      current = { headingPath: headings.map((entry) => entry.text), paragraphs: [] };
    } else if (line === "") {
      endParagraph();
    } else {
      paragraph.push(line);
    }
  }
  endParagraph();
  if (current.paragraphs.length) result.push(current);
  return result;
}

/** An ATX heading ("## Returns"), read without a regex so a long line costs one pass. */
function parseHeading(line: string): { level: number; text: string } | null {
  if (line.length > HEADING_MAX_CHARS + 8) return null;
  let level = 0;
  while (level < line.length && line[level] === "#") level += 1;
  if (level < 1 || level > 6 || (line[level] !== " " && line[level] !== "\t")) return null;
  let end = line.length;
  while (end > level && (line[end - 1] === "#" || line[end - 1] === " " || line[end - 1] === "\t")) end -= 1;
  const text = line.slice(level, end).trim();
  return text === "" ? null : { level, text: capLength(text, HEADING_MAX_CHARS) };
}

function packSection(paragraphs: readonly string[], targetChars: number, overlapChars: number): string[] {
  const out: string[] = [];
  let current = "";
  // Whether current holds text beyond the overlap carried from the previous chunk: the tail alone
  // is not content of its own, so a section ending right after a boundary yields no extra chunk.
  let fresh = false;
  for (const paragraph of paragraphs) {
    for (const piece of splitLong(paragraph, targetChars)) {
      if (fresh && current.length + 2 + piece.length > targetChars) {
        out.push(current);
        current = overlapTail(current, overlapChars);
      }
      current = current === "" ? piece : `${current}${fresh ? "\n\n" : " "}${piece}`;
      fresh = true;
    }
  }
  if (fresh) out.push(current);
  return out;
}

/** A paragraph longer than a chunk, cut at word boundaries into pieces of at most targetChars. */
function splitLong(paragraph: string, targetChars: number): string[] {
  if (paragraph.length <= targetChars) return [paragraph];
  const pieces: string[] = [];
  let start = 0;
  while (start < paragraph.length) {
    let end = Math.min(paragraph.length, start + targetChars);
    if (end < paragraph.length) {
      const sentence = lastBreak(paragraph, start, end, ". ");
      const space = sentence > start + targetChars / 2 ? sentence : lastBreak(paragraph, start, end, " ");
      if (space > start) end = space;
    }
    const piece = paragraph.slice(start, end).trim();
    if (piece !== "") pieces.push(piece);
    start = end;
  }
  return pieces;
}

/** The index just after the last `separator` within [start, end), or -1. */
function lastBreak(text: string, start: number, end: number, separator: string): number {
  // Searching the window only: lastIndexOf on the whole text would rescan it from every cut.
  const found = text.slice(start, end).lastIndexOf(separator);
  return found === -1 ? -1 : start + found + separator.length;
}

/** The last overlapChars of a chunk, starting at a word. */
function overlapTail(content: string, overlapChars: number): string {
  if (overlapChars <= 0 || content.length <= overlapChars) return overlapChars <= 0 ? "" : content;
  const from = content.length - overlapChars;
  const space = content.indexOf(" ", from);
  return space === -1 ? "" : content.slice(space + 1);
}
