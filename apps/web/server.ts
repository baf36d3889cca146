// Production server: `pnpm --filter @audnix/web start` (node server.ts, after `pnpm build`).
// Webhooks take a short path straight from node:http to their handler; pages, assets, /api/trpc
// and /api/live go through Express and Remix. Development uses `remix vite:dev` instead, where the
// same webhook handlers run as Remix resource routes.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";

interface ServerHooks {
  isWebhookPath(pathname: string): boolean;
  handleWebhookRequest(request: Request): Response | Promise<Response>;
  listenAddress(): { port: number; host: string | undefined };
}

const buildPath = path.join(import.meta.dirname, "build/server/index.js");
const build = (await import(buildPath)) as ServerBuild;
const hooks = build.entry.module as unknown as ServerHooks;

const app = express();
app.disable("x-powered-by");
app.use(compression());
// Fingerprinted by Vite, so they can be cached for good.
app.use("/assets", express.static(path.join(import.meta.dirname, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(import.meta.dirname, "build/client"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build }));

// Bytes of an over-limit upload we read and discard so its sender can read our 413; a sender
// that goes on past this is cut off.
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

interface IncomingBody {
  stream: ReadableStream<Uint8Array>;
  /** Discards the rest of the upload, then calls `done`; used when we answer before reading it all. */
  drain(done: () => void): void;
}

// Readable.toWeb destroys the socket when the stream is cancelled, and stalls once its queue is
// full and nobody reads; either way a client still uploading never sees our answer.
function incomingBody(req: IncomingMessage): IncomingBody {
  let draining = false;
  let drained = 0;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (draining) {
          drained += chunk.byteLength;
          if (drained > MAX_DRAIN_BYTES) req.destroy();
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => !draining && controller.close());
      req.once("error", (error) => !draining && controller.error(error));
      req.pause();
    },
    pull() {
      req.resume();
    },
  });
  return {
    stream,
    drain(done) {
      if (req.complete) return done();
      draining = true;
      req.once("end", done);
      req.resume();
    },
  };
}

function toRequest(req: IncomingMessage, body: IncomingBody): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: body.stream, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, body: IncomingBody, response: Response): Promise<void> {
  const payload = Buffer.from(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  // Answering mid-upload (a body over the limit): let the sender finish first, or it gets a reset
  // instead of the 413.
  body.drain(() => res.end(payload));
}

const server = createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
  if (!hooks.isWebhookPath(pathname)) return void app(req, res);
  const body = incomingBody(req);
  Promise.resolve()
    .then(() => hooks.handleWebhookRequest(toRequest(req, body)))
    .then((response) => send(res, body, response))
    .catch(() => {
      // The handler logs its own failures; the platform retries on a 5xx.
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
});

const { port, host } = hooks.listenAddress();
server.listen(port, host, () => console.log(`audnix web listening on http://${host ?? "localhost"}:${port}`));

// Stop taking connections, let requests in flight finish, then leave; the database pool does
// not hold the process open (allowExitOnIdle).
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
});
