/** Largest webhook body we accept. Meta batches stay far below it; a bigger one is abuse or a mistake. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Largest inbound email POST we accept. Mailgun receives messages up to 25 MB and posts the raw MIME
 * as one form field (docs/decisions/0016), so the cap sits above that with room for the form around
 * it; anything bigger did not come from Mailgun's route.
 */
export const EMAIL_WEBHOOK_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export type CappedBody = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too_large" };

/**
 * Reads a request's raw bytes (signatures are computed over them, so nothing may decode or
 * re-encode first), refusing bodies larger than `limitBytes`. A declared Content-Length over the
 * limit is refused before a byte is read; a chunked or understated body is refused as soon as the
 * running total passes the limit, and the rest is never read into memory.
 */
export async function readCappedBody(request: Request, limitBytes = WEBHOOK_BODY_LIMIT_BYTES): Promise<CappedBody> {
  const declared = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declared) && declared > limitBytes) return { ok: false, reason: "too_large" };
  if (request.body === null) return { ok: true, bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      // Releasing (not cancelling) leaves the rest unread: on Node a cancel destroys the socket,
      // and the sender would never see the 413 (the route closes the connection instead).
      reader.releaseLock();
      return { ok: false, reason: "too_large" };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: concat(chunks, total) };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
