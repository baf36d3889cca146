import { listenForLiveEvents } from "@audnix/db";
import { getEnv } from "../env.server.ts";
import { logger } from "../logger.server.ts";
import { createLiveHub, type LiveHub } from "./live-hub.server.ts";

interface LiveUpdates {
  hub: LiveHub;
  stop(): Promise<void>;
}

// One database listener per process, whatever the number of open dashboards; kept on globalThis
// so the dev server's module reloads do not open another.
const globalCache = globalThis as typeof globalThis & { __audnixLiveUpdates?: LiveUpdates };

function startLiveUpdates(): LiveUpdates {
  const hub = createLiveHub();
  const listener = listenForLiveEvents(getEnv().DATABASE_URL, hub.publish, {
    onError: (error) => logger.warn("live updates: database listener failed; reconnecting", { error }),
    onListening: ({ reconnected }) => {
      if (reconnected) hub.resyncEveryone();
    },
  });
  // Open streams would keep a stopping server alive; browsers reconnect to the next process.
  process.once("SIGTERM", () => void stopLiveUpdates());
  return {
    hub,
    async stop() {
      hub.endAll();
      await listener.close();
    },
  };
}

/** The process's live-update hub, started with the first dashboard that subscribes. */
export function liveHub(): LiveHub {
  return (globalCache.__audnixLiveUpdates ??= startLiveUpdates()).hub;
}

/** Ends every open stream and the database listener (shutdown). */
export async function stopLiveUpdates(): Promise<void> {
  const running = globalCache.__audnixLiveUpdates;
  globalCache.__audnixLiveUpdates = undefined;
  await running?.stop();
}
