import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

// The plumbing every vendor fake shares: a real HTTP server on 127.0.0.1 (port 0 unless pinned),
// whose handler errors become a 500 instead of a hung request, and a close that does not wait for
// keep-alive sockets.

export interface FakeHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function listenFake(
  port: number | undefined,
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<FakeHttpServer> {
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: "fake server error" });
      else response.end();
    });
  });
  server.listen(port ?? 0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

export async function readRequestBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The parsed JSON body, or undefined when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readRequestBody(request));
  } catch {
    return undefined;
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { ...headers, "Content-Type": "application/json" }).end(JSON.stringify(body));
}

/** A scripted failure a fake answers with instead of doing its work (429/5xx scripts). */
export interface ScriptedFailure {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A queue of scripted failures: `add(failure, times)` then `next()` per request. */
export function failureScript(): { add(failure: ScriptedFailure, times?: number): void; next(): ScriptedFailure | undefined } {
  const queue: ScriptedFailure[] = [];
  return {
    add(failure, times = 1) {
      for (let i = 0; i < times; i += 1) queue.push(failure);
    },
    next: () => queue.shift(),
  };
}

/**
 * A vendor slower than its client: the send is recorded first, then the answer waits `delayMs`
 * (past the client's timeout, so the client gives up on a message that did go out). The timer does
 * not hold the process open, and a client that hung up gets no answer.
 */
export function slowAnswers(): { set(delayMs: number | null): void; wait(response: ServerResponse): Promise<boolean> } {
  let delayMs: number | null = null;
  return {
    set: (value) => void (delayMs = value),
    async wait(response) {
      if (delayMs !== null) await sleep(delayMs, undefined, { ref: false });
      return !response.destroyed;
    },
  };
}
