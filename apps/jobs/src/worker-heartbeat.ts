import type { Logger } from "@audnix/core";
import { recordWorkerHeartbeat, releaseStaleWorkers, removeWorkerHeartbeat, type Db } from "@audnix/db";

export interface HeartbeatOptions {
  db: Db;
  /** graphile-worker's pool id: the locked_by of every job this process holds. */
  workerId: string;
  intervalMs: number;
  /** A worker silent this long is presumed dead and its jobs are released. */
  staleAfterMs: number;
  now: () => Date;
  logger: Logger;
}

export interface Heartbeat {
  /** Leaves the register (graceful stop: graphile-worker unlocks its own jobs). */
  stop(): Promise<void>;
}

/**
 * Keeps this worker's heartbeat fresh and, on the same timer, releases the jobs of workers whose
 * heartbeat went stale (docs/decisions/0011). Every worker sweeps, so recovery needs no extra
 * process and survives any single worker dying. The first beat and sweep run before it returns, so
 * a restarted worker immediately picks up what a dead one left behind (once it is stale).
 */
export async function startHeartbeat(options: HeartbeatOptions): Promise<Heartbeat> {
  const { db, workerId, logger } = options;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      await recordWorkerHeartbeat(db, { workerId, now: options.now() });
      const released = await releaseStaleWorkers(db, { now: options.now(), staleAfterMs: options.staleAfterMs });
      if (released.length > 0) logger.warn("released jobs of stale workers", { workers: released });
    } catch (error) {
      // A missed beat is harmless while it stays well under the staleness threshold.
      logger.warn("heartbeat failed", { err: error });
    }
  };

  await tick();
  const timer = setInterval(() => {
    running = tick();
  }, options.intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await running;
      await removeWorkerHeartbeat(db, { workerId }).catch((error: unknown) =>
        logger.warn("could not remove heartbeat", { err: error }),
      );
    },
  };
}
