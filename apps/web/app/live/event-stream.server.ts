import type { LiveHub, LiveMessage } from "./live-hub.server.ts";

/** Proxies and load balancers cut connections that stay silent for about a minute. */
export const HEARTBEAT_INTERVAL_MS = 20_000;
/** How long a browser waits before reconnecting after the stream drops. */
export const RECONNECT_DELAY_MS = 3_000;

interface LiveEventStreamOptions {
  userId: string;
  hub: LiveHub;
  /** The request's signal: aborts when the browser goes away. */
  signal: AbortSignal;
  heartbeatMs?: number;
}

/**
 * A Server-Sent Events response carrying the user's live events. Everything it registered (hub
 * subscription, heartbeat timer) is released when the browser disconnects or the stream ends.
 */
export function liveEventStream({ userId, hub, signal, heartbeatMs = HEARTBEAT_INTERVAL_MS }: LiveEventStreamOptions): Response {
  const encoder = new TextEncoder();
  let release = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          // The stream failed underneath us: stop here rather than throw into the hub's fan-out,
          // which would cut the other browsers off from the same event.
          stop();
        }
      };
      const stop = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        signal.removeEventListener("abort", end);
      };
      const end = () => {
        if (!open) return;
        stop();
        controller.close();
      };
      release = stop;

      const unsubscribe = hub.subscribe(userId, {
        send: (message: LiveMessage) => write(`data: ${JSON.stringify(message)}\n\n`),
        end,
      });
      const heartbeat = setInterval(() => write(": heartbeat\n\n"), heartbeatMs);
      // Nothing can be published in between (one thread), so these are still the first bytes; they
      // also flush the headers, so the browser reports the stream open at once.
      write(`retry: ${RECONNECT_DELAY_MS}\n: connected\n\n`);
      if (signal.aborted) end();
      else signal.addEventListener("abort", end, { once: true });
    },
    cancel() {
      release();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps compression middleware (remix-serve's included) from buffering the stream.
      "Cache-Control": "no-cache, no-transform",
      // nginx and similar proxies buffer responses unless told otherwise.
      "X-Accel-Buffering": "no",
    },
  });
}
