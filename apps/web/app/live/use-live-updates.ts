import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useSyncExternalStore } from "react";
// The mini build: this runs in every dashboard tab, and full zod would weigh more than the page.
import * as z from "zod/mini";
import { createRefreshCoalescer, type CoalescerClock } from "./refresh-coalescer.ts";

const LIVE_URL = "/api/live";

// Event types are the server's to add (packages/db/src/live-events.ts); the client passes every
// well-formed one on and each listener picks what concerns it.
const liveMessageSchema = z.union([
  z.object({ type: z.literal("resync") }),
  z.object({ type: z.string().check(z.maxLength(64)), leadId: z.string().check(z.maxLength(64)) }),
]);

/**
 * What a live listener receives. "resync": events may have been missed (the stream dropped, or the
 * server's database listener reconnected): refresh whatever you show.
 */
export type LiveMessage = z.infer<typeof liveMessageSchema>;
export type LiveListener = (message: LiveMessage) => void;
export type LiveStatus = "connecting" | "live" | "reconnecting";

// EventSource retries by itself after a dropped stream, but gives up for good on an error
// response (a deploy in progress, a proxy's 502); then we start over, backing off.
const REOPEN_DELAY_MS = { first: 3_000, max: 60_000 };
/** A burst of events (a 100-message webhook batch) settles this long into one refresh. */
export const LIVE_SETTLE_MS = 250;
/** While events keep arriving, a page refreshes at most this often. */
export const LIVE_REFRESH_MIN_INTERVAL_MS = 2_000;

const listeners = new Set<LiveListener>();
const statusListeners = new Set<() => void>();
let status: LiveStatus = "connecting";
let closeConnection: (() => void) | null = null;

function setStatus(next: LiveStatus) {
  if (status === next) return;
  status = next;
  for (const notify of statusListeners) notify();
}

function broadcast(message: LiveMessage) {
  for (const listener of [...listeners]) listener(message);
}

/** Opens the tab's one EventSource; returns what closes it. */
function connect(): () => void {
  let source: EventSource | null = null;
  let reopenTimer: ReturnType<typeof setTimeout> | null = null;
  let reopenDelay = REOPEN_DELAY_MS.first;
  let missedSomething = false;

  const open = () => {
    source = new EventSource(LIVE_URL);
    source.onopen = () => {
      setStatus("live");
      reopenDelay = REOPEN_DELAY_MS.first;
      // Whatever happened while the stream was down was not sent to us.
      if (missedSomething) broadcast({ type: "resync" });
      missedSomething = false;
    };
    source.onmessage = (message: MessageEvent<string>) => {
      const parsed = liveMessageSchema.safeParse(parseJson(message.data));
      if (parsed.success) broadcast(parsed.data);
    };
    source.onerror = () => {
      missedSomething = true;
      setStatus("reconnecting");
      if (source?.readyState !== EventSource.CLOSED) return;
      source.close();
      // A refused stream may mean the session ended; refreshing the data sends the owner to sign in.
      broadcast({ type: "resync" });
      reopenTimer = setTimeout(open, reopenDelay);
      reopenDelay = Math.min(reopenDelay * 2, REOPEN_DELAY_MS.max);
    };
  };

  open();
  return () => {
    source?.close();
    if (reopenTimer !== null) clearTimeout(reopenTimer);
    setStatus("connecting");
  };
}

// The stream stays open while anything listens: events or the status indicator.
function retain() {
  closeConnection ??= connect();
}

function release() {
  if (listeners.size > 0 || statusListeners.size > 0) return;
  closeConnection?.();
  closeConnection = null;
}

/**
 * Hands every live event of the signed-in owner to `listener`, over the tab's one EventSource
 * (opened by the first subscriber, closed after the last). Returns the unsubscribe.
 */
export function subscribeToLiveEvents(listener: LiveListener): () => void {
  listeners.add(listener);
  retain();
  return () => {
    listeners.delete(listener);
    release();
  };
}

function subscribeToStatus(notify: () => void): () => void {
  statusListeners.add(notify);
  retain();
  return () => {
    statusListeners.delete(notify);
    release();
  };
}

/** The live connection's state for the indicator; keeps the tab's stream open while mounted. */
export function useLiveUpdates(): LiveStatus {
  return useSyncExternalStore(
    subscribeToStatus,
    () => status,
    () => "connecting",
  );
}

const browserClock: CoalescerClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface LiveRefreshOptions {
  /** Which events concern this page ("resync" always does). Default: every event. */
  relevant?: (message: Exclude<LiveMessage, { type: "resync" }>) => boolean;
  minIntervalMs?: number;
}

/**
 * Calls `refresh` when relevant live events arrive: once per burst, at most once every
 * `minIntervalMs`, and not while the tab is hidden (one refresh when it is shown again).
 */
export function useLiveRefresh(refresh: () => void, { relevant, minIntervalMs = LIVE_REFRESH_MIN_INTERVAL_MS }: LiveRefreshOptions = {}) {
  const latest = useRef({ refresh, relevant });
  latest.current = { refresh, relevant };

  useEffect(() => {
    const coalescer = createRefreshCoalescer({ refresh: () => latest.current.refresh(), settleMs: LIVE_SETTLE_MS, minIntervalMs, clock: browserClock });
    let missedWhileHidden = false;
    const onVisible = () => {
      if (document.visibilityState !== "visible" || !missedWhileHidden) return;
      missedWhileHidden = false;
      coalescer.request();
    };
    const unsubscribe = subscribeToLiveEvents((message) => {
      if (message.type !== "resync" && "leadId" in message && latest.current.relevant && !latest.current.relevant(message)) return;
      if (document.visibilityState === "hidden") missedWhileHidden = true;
      else coalescer.request();
    });
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      unsubscribe();
      coalescer.cancel();
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [minIntervalMs]);
}

/** Reloads the page's loaders on relevant live events, coalesced as useLiveRefresh says. */
export function useLiveRevalidation(options?: LiveRefreshOptions) {
  const { revalidate } = useRevalidator();
  useLiveRefresh(revalidate, options);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
