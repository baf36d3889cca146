import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { logger } from "./logger.server.ts";
import { NonceProvider } from "./nonce-context.ts";
import { createCspNonce, responseSecurityHeaders } from "./server-hooks.server.ts";

// The production server (server.ts) reaches these through the server build, so it shares this
// build's configuration, database pool and logger instead of loading second copies.
export {
  createCspNonce,
  handleWebhookRequest,
  isWebhookPath,
  listenAddress,
  logServerError,
  responseSecurityHeaders,
  trustProxy,
} from "./server-hooks.server.ts";

// Remix rejects unsettled loader promises after this long; rendering gets a little longer so those
// rejections can still reach the page before the stream is cut.
export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The production server set this response's security headers and nonce before Remix ran (for
  // every response, assets included). Without it (the Vite dev server) the page sets its own.
  const nonce = loadContext.cspNonce ?? createCspNonce();
  const ownHeaders = loadContext.cspNonce === undefined ? responseSecurityHeaders(nonce) : {};
  // Crawlers get the complete page in one piece; browsers get the shell as early as possible.
  const waitForAll = isbot(request.headers.get("User-Agent"));

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const respond = () => {
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      for (const [name, value] of Object.entries(ownHeaders)) responseHeaders.set(name, value);
      resolve(new Response(createReadableStreamFromReadable(body), { status: responseStatusCode, headers: responseHeaders }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        onShellReady() {
          shellRendered = true;
          if (!waitForAll) respond();
        },
        onAllReady() {
          if (waitForAll) respond();
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell reject the promise above; later ones would otherwise vanish.
          if (shellRendered) logger.error("streaming render failed", { url: request.url, error });
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Loader, action and render failures, logged once each as structured lines. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  // Aborted requests (the visitor navigated away) and 4xx answers such as unknown URLs are not
  // server faults; the access log already records them.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  logger.error("request failed", { method: request.method, url: request.url, error });
};
