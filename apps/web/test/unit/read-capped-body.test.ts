import { describe, expect, it } from "vitest";
import { readCappedBody } from "../../app/webhooks/read-capped-body.server.ts";

function streamOf(chunks: number, chunkSize: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(chunkSize).fill(pulled));
    },
  });
  return { stream, pulled: () => pulled };
}

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/hook", { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("readCappedBody", () => {
  it("returns the exact bytes of a body up to the limit", async () => {
    const { stream } = streamOf(4, 25);
    const result = await readCappedBody(post(stream), 100);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.bytes.byteLength).toBe(100);
      expect([result.bytes[0], result.bytes[25], result.bytes[99]]).toEqual([1, 2, 4]);
    }
  });

  it("reads an empty body as no bytes", async () => {
    expect(await readCappedBody(post(null), 100)).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });

  it("refuses a declared length over the limit without reading", async () => {
    const { stream, pulled } = streamOf(10, 100);
    expect(await readCappedBody(post(stream, { "Content-Length": "1000" }), 100)).toEqual({ ok: false, reason: "too_large" });
    expect(pulled()).toBeLessThanOrEqual(1);
  });

  it("stops reading a stream as soon as it passes the limit", async () => {
    const { stream, pulled } = streamOf(1000, 100);
    expect(await readCappedBody(post(stream), 250)).toEqual({ ok: false, reason: "too_large" });
    expect(pulled()).toBeLessThan(10);
  });
});
