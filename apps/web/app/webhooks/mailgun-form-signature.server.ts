import type { MailgunSignatureFields } from "@audnix/core";

const SIGNATURE_FIELDS = ["timestamp", "token", "signature"] as const;
type SignatureField = (typeof SIGNATURE_FIELDS)[number];

// Mailgun's values are 10, 50 and 64 characters; a longer one is not a signature field of theirs.
const MAX_VALUE_BYTES = 512;
// Part headers are a Content-Disposition line or two; more is not a form Mailgun wrote.
const MAX_PART_HEADER_BYTES = 16 * 1024;

/**
 * Reads the signature fields of a Mailgun form without decoding the rest: an inbound email form may
 * be 32 MiB and decoding one takes seconds of the event loop, which an unsigned body must not get.
 * Only native byte searches run over the body, so the cost is linear and small. Null when a field
 * is missing, repeated or oversized: a form Mailgun signed has each exactly once.
 */
export function peekMailgunSignature(bytes: Uint8Array, contentType: string): MailgunSignatureFields | null {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = /^multipart\/form-data/i.test(contentType) ? multipartFields(body, contentType) : urlEncodedFields(body);
  if (!found) return null;
  const { timestamp, token, signature } = found;
  return timestamp !== undefined && token !== undefined && signature !== undefined ? { timestamp, token, signature } : null;
}

type Found = Partial<Record<SignatureField, string>>;

function isSignatureField(name: string): name is SignatureField {
  return (SIGNATURE_FIELDS as readonly string[]).includes(name);
}

function multipartFields(body: Buffer, contentType: string): Found | null {
  // RFC 2046: a boundary is 1-70 characters.
  const boundary = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType.slice(0, 1024));
  if (!boundary) return null;
  const delimiter = `--${boundary[1] ?? boundary[2] ?? ""}`;
  const found: Found = {};
  let at = body.indexOf(delimiter);
  // The first delimiter opens the body or follows a preamble's line break.
  if (at === -1 || (at !== 0 && body.toString("latin1", at - 2, at) !== "\r\n")) return null;
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body.toString("latin1", afterDelimiter, afterDelimiter + 2) === "--") return found;
    const headersStart = afterDelimiter + 2;
    const headersEnd = body.indexOf("\r\n\r\n", headersStart);
    if (headersEnd === -1 || headersEnd - headersStart > MAX_PART_HEADER_BYTES) return null;
    const valueStart = headersEnd + 4;
    const next = body.indexOf(`\r\n${delimiter}`, valueStart);
    if (next === -1) return null;
    const name = /\bname="([^"]*)"/i.exec(body.toString("latin1", headersStart, headersEnd))?.[1] ?? "";
    if (isSignatureField(name) && !keep(found, name, () => (next - valueStart > MAX_VALUE_BYTES ? null : body.toString("utf8", valueStart, next)))) {
      return null;
    }
    at = next + 2;
  }
}

function urlEncodedFields(body: Buffer): Found | null {
  const found: Found = {};
  for (const name of SIGNATURE_FIELDS) {
    const key = `${name}=`;
    // A field starts the body or follows "&"; inside a value "&" and "=" are percent-encoded.
    for (let at = body.indexOf(key); at !== -1; at = body.indexOf(key, at + key.length)) {
      if (at !== 0 && body[at - 1] !== 0x26) continue;
      const valueStart = at + key.length;
      const end = body.indexOf("&", valueStart);
      const valueEnd = end === -1 ? body.length : end;
      if (!keep(found, name, () => (valueEnd - valueStart > MAX_VALUE_BYTES ? null : decodeFormValue(body.toString("latin1", valueStart, valueEnd))))) {
        return null;
      }
    }
  }
  return found;
}

/** Records a field's value; false when it was already there or its value is unusable. */
function keep(found: Found, name: SignatureField, value: () => string | null): boolean {
  if (found[name] !== undefined) return false;
  const read = value();
  if (read === null) return false;
  found[name] = read;
  return true;
}

function decodeFormValue(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return null;
  }
}
