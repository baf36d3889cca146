import type { LiveEvent } from "@audnix/db";

/**
 * What a browser receives: what changed, never whose (the stream is already the owner's own).
 * "resync" means events may have been missed (the database listener reconnected): reload everything.
 */
export type LiveMessage = { type: LiveEvent["type"]; leadId: string } | { type: "resync" };

export interface LiveSubscriber {
  send(message: LiveMessage): void;
  /** Ends the subscriber's stream (process shutdown). */
  end(): void;
}

export interface LiveHub {
  /** Registers one open stream of `userId`; returns the unsubscribe. */
  subscribe(userId: string, subscriber: LiveSubscriber): () => void;
  /** Hands an event to that user's open streams only. */
  publish(event: LiveEvent): void;
  resyncEveryone(): void;
  /** Ends every open stream, so a stopping process is not held open by browsers. */
  endAll(): void;
  /** Open streams: lets tests see that a closed stream gave its subscription back. */
  size(): number;
  /** Open streams of one user in this process. */
  sizeOf(userId: string): number;
}

/** Fans one process-wide stream of database events out to the browsers of the user they belong to. */
export function createLiveHub(): LiveHub {
  const byUser = new Map<string, Set<LiveSubscriber>>();

  const everyone = () => [...byUser.values()].flatMap((subscribers) => [...subscribers]);

  return {
    subscribe(userId, subscriber) {
      const subscribers = byUser.get(userId) ?? new Set<LiveSubscriber>();
      subscribers.add(subscriber);
      byUser.set(userId, subscribers);
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0 && byUser.get(userId) === subscribers) byUser.delete(userId);
      };
    },
    publish(event) {
      for (const subscriber of byUser.get(event.userId) ?? []) subscriber.send({ type: event.type, leadId: event.leadId });
    },
    resyncEveryone() {
      for (const subscriber of everyone()) subscriber.send({ type: "resync" });
    },
    endAll() {
      for (const subscriber of everyone()) subscriber.end();
    },
    size() {
      return everyone().length;
    },
    sizeOf(userId) {
      return byUser.get(userId)?.size ?? 0;
    },
  };
}
