// fatal: bytes that are not UTF-8 are not JSON either, rather than text full of U+FFFD.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A webhook body as JSON, or a refusal the pipeline answers with 400. */
export function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(bytes)) };
  } catch {
    return { ok: false };
  }
}
