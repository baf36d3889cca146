import type { Db } from "../client.ts";

// Crash recovery for graphile-worker (docs/decisions/0011). A SIGKILLed worker cannot unlock its
// jobs, and graphile-worker only expires such locks after 4 hours. Each worker pool records a
// heartbeat; any worker's sweep releases the jobs of pools whose heartbeat went stale.

/** Records that the pool `workerId` (graphile-worker's locked_by) is alive at `now`. */
export async function recordWorkerHeartbeat(db: Db, input: { workerId: string; now: Date }): Promise<void> {
  await db.pool.query(
    `INSERT INTO worker_heartbeats (worker_id, started_at, last_seen_at) VALUES ($1, $2, $2)
     ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = GREATEST(worker_heartbeats.last_seen_at, EXCLUDED.last_seen_at)`,
    [input.workerId, input.now],
  );
}

/** A pool that stops gracefully unlocks its own jobs; it only has to leave the register. */
export async function removeWorkerHeartbeat(db: Db, input: { workerId: string }): Promise<void> {
  await db.pool.query("DELETE FROM worker_heartbeats WHERE worker_id = $1", [input.workerId]);
}

/**
 * Releases the jobs of every worker presumed dead: its heartbeat is older than `staleAfterMs`, or
 * (a worker that died before its first heartbeat, or predates heartbeats) it holds a lock older
 * than that without any heartbeat. Returns the worker ids released. One statement, so concurrent
 * sweeps from several workers are harmless: unlocking twice is a no-op.
 */
export async function releaseStaleWorkers(db: Db, input: { now: Date; staleAfterMs: number }): Promise<string[]> {
  const { rows } = await db.pool.query<{ worker_id: string }>(
    `WITH cutoff AS (SELECT $1::timestamptz - make_interval(secs => $2::double precision / 1000) AS at),
     stale AS (
       SELECT worker_id FROM worker_heartbeats, cutoff WHERE last_seen_at < cutoff.at
       UNION
       SELECT DISTINCT locked_by FROM graphile_worker._private_jobs, cutoff
        WHERE locked_by IS NOT NULL AND locked_at < cutoff.at
          AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = locked_by)
     ),
     unlocked AS (SELECT graphile_worker.force_unlock_workers(array_agg(worker_id)) FROM stale HAVING count(*) > 0),
     forgotten AS (DELETE FROM worker_heartbeats WHERE worker_id IN (SELECT worker_id FROM stale))
     SELECT worker_id FROM stale, (SELECT count(*) FROM unlocked) AS done`,
    [input.now, input.staleAfterMs],
  );
  return rows.map((row) => row.worker_id);
}
