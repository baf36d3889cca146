import { randomUUID } from "node:crypto";
import type { Db } from "@audnix/db";

/**
 * Fails unless the connecting role can add a job and then find it again. graphile-worker's tables
 * have row-level security enabled; without a policy for the app role every poll quietly finds
 * nothing, and the worker would look healthy while the queue grows. Only graphile-worker's public
 * functions are used (its tables are not a public interface): `remove_job` returns the job it
 * removed, which it can only do for a row the role sees. The probe is rolled back.
 */
export async function assertQueueAccess(db: Db): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    // A key of its own, so the probe can never remove someone else's job.
    const key = `worker:access-probe:${randomUUID()}`;
    const added = await client.query<{ id: string }>(
      "SELECT (graphile_worker.add_job('worker:access-probe', '{}'::json, job_key := $1)).id::text AS id",
      [key],
    );
    const removed = await client.query<{ id: string | null }>("SELECT (graphile_worker.remove_job($1)).id::text AS id", [key]);
    if (added.rows[0]?.id === undefined || removed.rows[0]?.id !== added.rows[0].id) {
      throw new Error("a job this role added is invisible to it");
    }
  } catch (error) {
    throw new Error("The database role cannot use graphile-worker's queue (grants or row-level security policies).", {
      cause: error,
    });
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
  }
}
