import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
// The mini build: this runs in every dashboard tab, and full zod would weigh more than the page.
import * as z from "zod/mini";

const liveMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.enum(["lead.created", "message.created", "lead.updated"]), leadId: z.string() }),
  z.object({ type: z.literal("resync") }),
]);

export type LiveStatus = "connecting" | "live" | "reconnecting";

// A burst of events (a 100-message webhook batch) becomes one reload, not a hundred.
const REVALIDATE_COALESCE_MS = 250;
// EventSource retries by itself after a dropped stream, but gives up for good on an error
// response (a deploy in progress, a proxy's 502); then we start over, backing off.
const REOPEN_DELAY_MS = { first: 3_000, max: 60_000 };

/**
 * Keeps the page's loader data current: listens to /api/live and revalidates when the owner's
 * leads or messages change. Returns the connection state for the indicator.
 */
export function useLiveUpdates(url = "/api/live"): LiveStatus {
  const { revalidate } = useRevalidator();
  const revalidateRef = useRef(revalidate);
  revalidateRef.current = revalidate;
  const [status, setStatus] = useState<LiveStatus>("connecting");

  useEffect(() => {
    let source: EventSource | null = null;
    let revalidateTimer: ReturnType<typeof setTimeout> | null = null;
    let reopenTimer: ReturnType<typeof setTimeout> | null = null;
    let reopenDelay = REOPEN_DELAY_MS.first;
    let missedSomething = false;

    const scheduleRevalidate = () => {
      if (revalidateTimer !== null) return;
      revalidateTimer = setTimeout(() => {
        revalidateTimer = null;
        revalidateRef.current();
      }, REVALIDATE_COALESCE_MS);
    };

    const open = () => {
      source = new EventSource(url);
      source.onopen = () => {
        setStatus("live");
        reopenDelay = REOPEN_DELAY_MS.first;
        // Whatever happened while the stream was down was not sent to us.
        if (missedSomething) scheduleRevalidate();
        missedSomething = false;
      };
      source.onmessage = (message: MessageEvent<string>) => {
        if (liveMessageSchema.safeParse(parseJson(message.data)).success) scheduleRevalidate();
      };
      source.onerror = () => {
        missedSomething = true;
        setStatus("reconnecting");
        if (source?.readyState !== EventSource.CLOSED) return;
        source.close();
        // A refused stream may mean the session ended; reloading the data sends the owner to sign in.
        scheduleRevalidate();
        reopenTimer = setTimeout(open, reopenDelay);
        reopenDelay = Math.min(reopenDelay * 2, REOPEN_DELAY_MS.max);
      };
    };

    open();
    return () => {
      source?.close();
      if (revalidateTimer !== null) clearTimeout(revalidateTimer);
      if (reopenTimer !== null) clearTimeout(reopenTimer);
    };
  }, [url]);

  return status;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
