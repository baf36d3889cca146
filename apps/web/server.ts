// Production server: `pnpm --filter @audnix/web start` (node server.ts, after `pnpm build`).
// Webhooks take a short path straight from node:http to their handler; pages, assets, /api/trpc
// and /api/live go through Express and Remix. Development uses `remix vite:dev` instead, where the
// same webhook handlers run as Remix resource routes.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
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

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

const server = createServer((req, res) => {
  const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
  if (!hooks.isWebhookPath(pathname)) return void app(req, res);
  Promise.resolve()
    .then(() => hooks.handleWebhookRequest(toRequest(req)))
    .then((response) => send(res, response))
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
