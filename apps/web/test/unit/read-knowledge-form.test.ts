import { describe, expect, it } from "vitest";
import { readKnowledgeForm } from "../../app/knowledge/read-knowledge-form.server.ts";

// Small caps, so each case is quick; the page passes core's (10 MB files, 1,000,000 characters).
const LIMITS = { fileMaxBytes: 1024, textMaxChars: 100 };
const BOUNDARY = "----knowledge-test";
const CHUNK = 64 * 1024;

function multipartHead(filename: string): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nadd-file\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`
  );
}

const multipartTail = `\r\n--${BOUNDARY}--\r\n`;

function multipartRequest(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/dashboard/knowledge", {
    method: "POST",
    body,
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    duplex: "half",
  } as RequestInit);
}

/** A file part of `fileBytes` bytes, streamed in chunks with no Content-Length; counts what was read. */
function streamedUpload(fileBytes: number): { request: Request; pulled: () => number; total: number } {
  const head = new TextEncoder().encode(multipartHead("big.txt"));
  const tail = new TextEncoder().encode(multipartTail);
  const chunk = new Uint8Array(CHUNK).fill(0x61);
  let fileSent = 0;
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      let piece: Uint8Array;
      if (pulled === 0) piece = head;
      else if (fileSent < fileBytes) {
        piece = chunk.subarray(0, Math.min(CHUNK, fileBytes - fileSent));
        fileSent += piece.byteLength;
      } else piece = tail;
      pulled += piece.byteLength;
      controller.enqueue(piece);
      if (piece === tail) controller.close();
    },
  });
  return { request: multipartRequest(stream), pulled: () => pulled, total: head.byteLength + fileBytes + tail.byteLength };
}

describe("reading the knowledge page's forms with capped sizes", () => {
  it("gives the uploaded file with its bytes and the form's intent", async () => {
    const body = `${multipartHead("hours.txt")}Open 9 to 5.${multipartTail}`;
    const read = await readKnowledgeForm(multipartRequest(body), LIMITS);
    if (!read.ok) throw new Error(`refused: ${read.reason}`);
    expect(read.form.get("intent")).toBe("add-file");
    const file = read.form.get("file");
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe("hours.txt");
    expect(await (file as File).text()).toBe("Open 9 to 5.");
  });

  it("refuses a file part past the cap as it streams, without reading the whole upload", async () => {
    // Far past the cap and past what is read and discarded so the browser can be answered.
    const upload = streamedUpload(40 * 1024 * 1024);
    const read = await readKnowledgeForm(upload.request, LIMITS);
    expect(read).toEqual({ ok: false, reason: "tooLarge", multipart: true });
    expect(upload.pulled()).toBeLessThan(upload.total / 2);
  });

  it("refuses a body whose declared length is past the cap before parsing it", async () => {
    const body = `${multipartHead("big.txt")}${"a".repeat(LIMITS.fileMaxBytes * 200)}${multipartTail}`;
    const read = await readKnowledgeForm(multipartRequest(body, { "Content-Length": String(body.length) }), LIMITS);
    expect(read).toEqual({ ok: false, reason: "tooLarge", multipart: true });
  });

  it("reads a URL-encoded form up to what the longest document can encode to, and refuses more", async () => {
    const form = (text: string) =>
      new Request("http://localhost/dashboard/knowledge", {
        method: "POST",
        body: new URLSearchParams({ intent: "add-text", title: "Ümlaut prices", text }),
      });
    // Every character of the longest document percent-encoded from three UTF-8 bytes still fits.
    const longest = await readKnowledgeForm(form("€".repeat(LIMITS.textMaxChars)), LIMITS);
    if (!longest.ok) throw new Error(`refused: ${longest.reason}`);
    expect(longest.form.get("text")).toBe("€".repeat(LIMITS.textMaxChars));
    expect(longest.form.get("title")).toBe("Ümlaut prices");

    const tooLong = await readKnowledgeForm(form("€".repeat(LIMITS.textMaxChars * 1000)), LIMITS);
    expect(tooLong).toEqual({ ok: false, reason: "tooLarge", multipart: false });
  });

  it("calls anything but the page's two encodings, or a second file, unreadable", async () => {
    const plain = new Request("http://localhost/dashboard/knowledge", { method: "POST", body: "intent=add-faq", headers: { "Content-Type": "text/plain" } });
    expect(await readKnowledgeForm(plain, LIMITS)).toEqual({ ok: false, reason: "unreadable", multipart: false });

    const twoFiles = `${multipartHead("a.txt")}one\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="b.txt"\r\n\r\ntwo${multipartTail}`;
    expect(await readKnowledgeForm(multipartRequest(twoFiles), LIMITS)).toEqual({ ok: false, reason: "unreadable", multipart: true });
  });
});
