import {
  FormDataParseError,
  MaxFileSizeExceededError,
  MaxFilesExceededError,
  MaxPartsExceededError,
  MaxTotalSizeExceededError,
  parseFormData,
} from "@remix-run/form-data-parser";

/** What the knowledge page's forms may send, in bytes. */
export interface KnowledgeFormLimits {
  /** The largest file an owner may upload. */
  fileMaxBytes: number;
  /** The largest text document, in characters (JavaScript string length). */
  textMaxChars: number;
}

export type KnowledgeFormRead =
  | { ok: true; form: FormData }
  /** `tooLarge`: the body went past a cap (413); otherwise it was not a form we can read (400). */
  | { ok: false; reason: "tooLarge" | "unreadable"; multipart: boolean };

// The text fields beside the file (intent) are a few bytes; headers per part are a line or two.
const FORM_OVERHEAD_BYTES = 64 * 1024;
const MAX_PARTS = 16;
const MAX_PART_HEADER_BYTES = 8 * 1024;
// A text form is sent URL-encoded: one UTF-16 unit of a string is at most 3 bytes of UTF-8, each
// percent-encoded as 3 characters, so 9 bytes on the wire per character at worst.
const URL_ENCODED_BYTES_PER_CHAR = 9;
// Bytes of a refused upload read and discarded so the browser gets to read our answer (a client
// still uploading sees a reset otherwise); past this the connection is cut instead.
const MAX_DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * Reads the knowledge page's POST with every size capped before it is held in memory: the file part
 * is refused as soon as it passes `fileMaxBytes` (the parser counts while streaming), a text form
 * as soon as the body passes what the longest document can encode to. Multipart for the upload,
 * URL-encoded for everything else; anything else is unreadable.
 */
export async function readKnowledgeForm(request: Request, limits: KnowledgeFormLimits): Promise<KnowledgeFormRead> {
  const contentType = request.headers.get("Content-Type") ?? "";
  const multipart = /^multipart\/form-data\b/i.test(contentType);
  if (!multipart && !/^application\/x-www-form-urlencoded\b/i.test(contentType)) return { ok: false, reason: "unreadable", multipart };
  const maxTotalSize = multipart ? limits.fileMaxBytes + FORM_OVERHEAD_BYTES : limits.textMaxChars * URL_ENCODED_BYTES_PER_CHAR + FORM_OVERHEAD_BYTES;
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > maxTotalSize) return refuse(request, "tooLarge", multipart);
  try {
    const form = await parseFormData(
      request,
      // maxFileSize caps each multipart part (the file); a URL-encoded body is held to maxTotalSize.
      { maxFiles: 1, maxFileSize: limits.fileMaxBytes, maxParts: MAX_PARTS, maxHeaderSize: MAX_PART_HEADER_BYTES, maxTotalSize },
      // The parser has already counted the part against maxFileSize; the page sends one file, as "file".
      (upload) => (upload.fieldName === "file" ? upload : null),
    );
    return { ok: true, form };
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError || error instanceof MaxTotalSizeExceededError) return refuse(request, "tooLarge", multipart);
    if (error instanceof MaxFilesExceededError || error instanceof MaxPartsExceededError || error instanceof FormDataParseError) {
      return refuse(request, "unreadable", multipart);
    }
    throw error;
  }
}

async function refuse(request: Request, reason: "tooLarge" | "unreadable", multipart: boolean): Promise<KnowledgeFormRead> {
  await discardRest(request.body);
  return { ok: false, reason, multipart };
}

/** Reads what is left of a refused body and drops it, up to MAX_DISCARD_BYTES; then gives up on it. */
async function discardRest(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (!body || body.locked) return;
  const reader = body.getReader();
  let discarded = 0;
  try {
    while (discarded <= MAX_DISCARD_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away mid-upload: there is nobody left to answer.
  } finally {
    reader.releaseLock();
  }
}
