import type { Db } from "@audnix/db";

/**
 * Fails unless the connecting role can add a job and then see it. graphile-worker's tables have
 * row-level security enabled; without a policy for the app role every poll quietly finds
 * nothing, and the worker would look healthy while the queue grows. The probe is rolled back.
 */
export async function assertQueueAccess(db: Db): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const added = await client.query<{ id: string }>(
      "SELECT (graphile_worker.add_job('worker:access-probe', '{}'::json)).id::text AS id",
    );
    const seen = await client.query("SELECT 1 FROM graphile_worker._private_jobs WHERE id = $1::bigint", [
      added.rows[0]?.id,
    ]);
    if (seen.rowCount !== 1) throw new Error("a job this role added is invisible to it");
  } catch (error) {
    throw new Error("The database role cannot use graphile-worker's queue (grants or row-level security policies).", {
      cause: error,
    });
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
  }
}
