import type { Db } from "../client.ts";

// Crash recovery for graphile-worker (docs/decisions/0011). A SIGKILLed worker cannot unlock its
// jobs, and graphile-worker only expires such locks after 4 hours. Each worker pool records a
// heartbeat under its pool id (with a local queue, the locked_by of every job it holds); any
// worker's sweep hands the ids of pools whose heartbeat went stale to graphile-worker's public
// force_unlock_workers. Its tables are not a public interface, so nothing here reads them.

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
 * Releases the jobs of every worker presumed dead (its heartbeat is older than `staleAfterMs`) and
 * forgets it. Returns the worker ids released. One statement, so concurrent sweeps from several
 * workers are harmless: a row is deleted once, and unlocking twice is a no-op.
 */
export async function releaseStaleWorkers(db: Db, input: { now: Date; staleAfterMs: number }): Promise<string[]> {
  const { rows } = await db.pool.query<{ worker_id: string }>(
    `WITH stale AS (
       DELETE FROM worker_heartbeats
        WHERE last_seen_at < $1::timestamptz - make_interval(secs => $2::double precision / 1000)
        RETURNING worker_id
     ),
     unlocked AS (SELECT graphile_worker.force_unlock_workers(array_agg(worker_id)) FROM stale HAVING count(*) > 0)
     SELECT worker_id FROM stale, (SELECT count(*) FROM unlocked) AS done`,
    [input.now, input.staleAfterMs],
  );
  return rows.map((row) => row.worker_id);
}
