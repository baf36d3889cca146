import type pg from "pg";
import type { Db } from "./client.ts";

/**
 * Runs `work` in one transaction on a pool client of its own: for SQL functions called with plain
 * pg (a raw statement plus the rows that must commit with it, or a rebuild that can outlast an ORM
 * transaction's timeout). A connection that cannot even roll back is not handed to the next caller.
 */
export async function inPoolTransaction<T>(db: Db, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
