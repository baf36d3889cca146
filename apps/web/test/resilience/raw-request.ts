import http from "node:http";

// Requests written byte for byte with node:http, since fetch cannot send a wrong method with a
// body, leave out Content-Length on purpose, or drop a connection mid-upload.

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Sent without Content-Length (chunked). */
  chunked?: boolean;
  /** Bytes sent before the connection is dropped; null or absent sends the whole body. */
  abortAfterBytes?: number | null;
}

export interface RawAnswer {
  /** The status the server answered with; null when no answer came (see `error`). */
  status: number | null;
  /** Why no answer came: the socket's error code, "timeout", or "dropped by us". */
  error: string | null;
  /** The Retry-After header of the answer, when it had one. */
  retryAfter: string | null;
}

/** Sends one request to 127.0.0.1:`port` and reads the whole answer. Never rejects. */
export function sendRawRequest(agent: http.Agent, port: number, request: RawRequest, timeoutMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    };
    const headers = request.chunked ? request.headers : { ...request.headers, "content-length": String(request.body.byteLength) };
    const req = http.request({ host: "127.0.0.1", port, method: request.method, path: request.path, headers, agent, timeout: timeoutMs }, (res) => {
      res.resume();
      const retryAfter = typeof res.headers["retry-after"] === "string" ? res.headers["retry-after"] : null;
      res.once("end", () => done({ status: res.statusCode ?? null, error: null, retryAfter }));
      res.once("error", (error: NodeJS.ErrnoException) => done({ status: res.statusCode ?? null, error: error.code ?? error.message, retryAfter }));
    });
    req.once("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "timeout" })));
    req.once("error", (error: NodeJS.ErrnoException) => done({ status: null, error: error.code ?? error.message, retryAfter: null }));
    const cut = request.abortAfterBytes ?? null;
    if (cut === null) return void req.end(request.body);
    req.write(request.body.subarray(0, cut), () => {
      done({ status: null, error: "dropped by us", retryAfter: null });
      req.destroy();
    });
  });
}
