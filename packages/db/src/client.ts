import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import type { Prisma } from "./generated/prisma/client.ts";

/** A transaction handle scoped by row-level security to one user, or to the system path. */
export type Tx = Prisma.TransactionClient;

export interface DbOptions {
  /** Connection string of the application role (never a superuser or BYPASSRLS role). */
  url: string;
  /** Pool size per process. */
  maxConnections?: number;
}

export interface TransactionOptions {
  /** How long the transaction may run before it is rolled back (default: Prisma's 5 s). */
  timeoutMs?: number;
}

export interface Db {
  /**
   * Runs `work` in one transaction in which row-level security shows only `userId`'s rows.
   * Every tenant-facing read and write goes through here.
   */
  asUser<T>(userId: string, work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `work` in one transaction that may cross tenants: webhooks before routing, jobs, sign-in.
   * Deliberately a separate, greppable call (docs/decisions/0003).
   */
  asSystem<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Rejects when the connection's role skips row-level security (superuser or BYPASSRLS): the
   * apps call it at startup so a misconfigured DATABASE_URL cannot silently disable isolation.
   */
  assertRowLevelSecurityApplies(): Promise<void>;
  /** The underlying pool, for LISTEN/NOTIFY and graphile-worker, which need plain connections. */
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createDb(options: DbOptions): Db {
  // allowExitOnIdle: a process that is done (SIGTERM, a finished script) exits without waiting
  // for idle connections to time out.
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10, allowExitOnIdle: true });
  // A client dropped by the server (idle or checked out) must not crash the process; the pool
  // replaces it and the query in flight fails on its own.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  return {
    pool,
    asUser(userId, work, options) {
      if (!UUID.test(userId)) return Promise.reject(new Error("asUser needs a user id (uuid)"));
      return prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
          return work(tx);
        },
        options?.timeoutMs === undefined ? undefined : { timeout: options.timeoutMs },
      );
    },
    asSystem(work) {
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.system', 'on', true)`;
        return work(tx);
      });
    },
    async assertRowLevelSecurityApplies() {
      const { rows } = await pool.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
        "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
      );
      const role = rows[0];
      if (role && !role.rolsuper && !role.rolbypassrls) return;
      throw new Error(
        `DATABASE_URL connects as "${role?.rolname ?? "unknown"}", which bypasses row-level security. ` +
          "Connect as the audnix_app role or a login role that is a member of it (see README, Using your own Postgres).",
      );
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
