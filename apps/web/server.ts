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
  trustProxy(): false | number | string[];
  createCspNonce(): string;
  responseSecurityHeaders(nonce: string | null): Record<string, string>;
  logServerError(error: unknown, request: { method: string; url: string }): void;
}

const buildPath = path.join(import.meta.dirname, "build/server/index.js");
const build = (await import(buildPath)) as ServerBuild;
const hooks = build.entry.module as unknown as ServerHooks;

const app = express();
app.disable("x-powered-by");
// req.ip is the connection's peer unless TRUST_PROXY names the proxies in front (per-address rate
// limits must not believe a client's own X-Forwarded-For).
app.set("trust proxy", hooks.trustProxy());
// Security headers on every response (pages, data, assets, errors); pages get the nonce through
// the load context, so their inline scripts carry the one this header allows.
app.use((_req, res, next) => {
  const nonce = hooks.createCspNonce();
  res.locals.cspNonce = nonce;
  for (const [name, value] of Object.entries(hooks.responseSecurityHeaders(nonce))) res.setHeader(name, value);
  next();
});
app.use(compression());
// Fingerprinted by Vite, so they can be cached for good.
app.use("/assets", express.static(path.join(import.meta.dirname, "build/client/assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(import.meta.dirname, "build/client"), { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    // The build's mode (production), whatever NODE_ENV says: Remix then never sends an error's
    // message or stack to the browser.
    mode: build.mode,
    getLoadContext: (req, res) => ({ clientAddress: req.ip ?? req.socket.remoteAddress, cspNonce: res.locals.cspNonce as string }),
  }),
);
// Replaces Express's default handler, which answers with the error's stack outside production.
app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (res.headersSent) return next(error);
  const status = (error as { status?: unknown }).status;
  const clientError = typeof status === "number" && status >= 400 && status < 500;
  if (!clientError) hooks.logServerError(error, { method: req.method, url: req.originalUrl });
  res.status(clientError ? status : 500).type("text/plain").send(clientError ? "Bad request" : "Internal server error");
});

// Webhook answers are not pages (no nonce), so their headers are the same every time.
const webhookSecurityHeaders = Object.entries(hooks.responseSecurityHeaders(null));

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
  for (const [name, value] of webhookSecurityHeaders) res.setHeader(name, value);
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
