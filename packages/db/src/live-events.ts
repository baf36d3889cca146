import pg from "pg";
import { NEEDS_OWNER_REASONS } from "@audnix/core";
import { z } from "zod";

/** The channel the capture transaction NOTIFYs after every new lead and message (and lead memory after new facts). */
export const LIVE_EVENTS_CHANNEL = "audnix_live";

const liveEventSchema = z.object({
  userId: z.uuid(),
  // lead.updated: what we know about the lead changed (its facts, docs/decisions/0022).
  // lead.needs_owner: the lead started needing the owner ("Needs you", 0027): ids and the reason only.
  type: z.enum(["lead.created", "message.created", "lead.updated", "lead.needs_owner"]),
  leadId: z.uuid(),
  reason: z.enum(NEEDS_OWNER_REASONS).optional(),
});

export type LiveEvent = z.output<typeof liveEventSchema>;

export interface LiveEventsOptions {
  /** Connection failures and errors thrown by `onEvent`; the listener keeps going either way. */
  onError?: (error: unknown) => void;
  /**
   * Called each time LISTEN is in place. After a reconnect (`reconnected: true`) notifications
   * sent during the gap are gone for good, so subscribers should refresh what they show.
   */
  onListening?: (info: { reconnected: boolean }) => void;
  /** Reconnect backoff: doubles from `initialDelayMs` up to `maxDelayMs`. */
  retry?: { initialDelayMs: number; maxDelayMs: number };
}

export interface LiveEventsListener {
  close(): Promise<void>;
}

const DEFAULT_RETRY = { initialDelayMs: 250, maxDelayMs: 30_000 };

/**
 * Runs `LISTEN audnix_live` on one dedicated connection (a pooled connection would drop the
 * subscription when returned) and hands every well-formed event to `onEvent`. Payloads that do
 * not parse are ignored: the channel is a public name any role may NOTIFY on.
 */
export function listenForLiveEvents(
  connectionString: string,
  onEvent: (event: LiveEvent) => void,
  options: LiveEventsOptions = {},
): LiveEventsListener {
  const retry = options.retry ?? DEFAULT_RETRY;
  let closed = false;
  let current: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let failedAttempts = 0;
  let listenedBefore = false;

  const report = (error: unknown) => {
    if (!closed) options.onError?.(error);
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer !== null) return;
    const delay = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** failedAttempts);
    failedAttempts += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
  };

  const deliver = (payload: string | undefined) => {
    const parsed = liveEventSchema.safeParse(parseJson(payload));
    if (!parsed.success) return;
    try {
      onEvent(parsed.data);
    } catch (error) {
      report(error);
    }
  };

  const connect = async () => {
    // keepAlive: an idle LISTEN connection is exactly what NATs and proxies silently cut.
    const client = new pg.Client({ connectionString, keepAlive: true });
    current = client;
    let dropped = false;
    const drop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (error !== undefined) report(error);
      if (current === client) current = null;
      client.end().catch(() => {});
      scheduleReconnect();
    };
    client.on("error", drop);
    client.on("end", () => drop());
    client.on("notification", (message) => {
      if (message.channel === LIVE_EVENTS_CHANNEL) deliver(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_EVENTS_CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed || dropped) return;
    failedAttempts = 0;
    const reconnected = listenedBefore;
    listenedBefore = true;
    options.onListening?.({ reconnected });
  };

  void connect();

  return {
    async close() {
      closed = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      const client = current;
      current = null;
      await client?.end().catch(() => {});
    },
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
