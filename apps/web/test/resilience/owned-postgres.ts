import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import {
  APP_ROLE,
  ensureAppLogin,
  localDataRoot,
  migrateDatabase,
  startEmbeddedPostgres,
  withClient,
  withCredentials,
  withDatabase,
  type EmbeddedPostgresOptions,
  type RunningPostgres,
} from "@audnix/db/admin";
import { recordTestSecret } from "@audnix/integrations/testing";
import { freePort } from "../e2e/web-server.ts";

// A Postgres cluster of the check's own, so it can crash and restart the database under load
// without touching the run's shared test cluster (other files use it) or the machine's :5432.
// Production settings (fsync and synchronous commit on): the durability being checked is theirs.

export interface OwnedPostgres {
  /** The app role's URL (row-level security applies), for the web server. */
  appUrl: string;
  adminUrl: string;
  /** SIGQUIT to the postmaster: an immediate shutdown, no checkpoint, as a crash would leave it. */
  crash(): Promise<void>;
  /** Starts it again on the same data and port; resolves once crash recovery let it accept connections. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

const DATABASE = "audnix";
const EXIT_POLL_MS = 20;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startOwnedPostgres(): Promise<OwnedPostgres> {
  const rootDir = path.join(localDataRoot, "postgres-resilience", randomBytes(6).toString("hex"));
  const options: EmbeddedPostgresOptions = { rootDir, port: await freePort(), profile: "development" };
  let cluster: RunningPostgres | null = await startEmbeddedPostgres(options);
  const password = randomBytes(18).toString("base64url");
  recordTestSecret(password, new URL(cluster.superuserUrl).password);
  await ensureAppLogin(cluster.superuserUrl, password);
  await withClient(cluster.superuserUrl, (client) => client.query(`CREATE DATABASE ${DATABASE}`));
  const adminUrl = withDatabase(cluster.superuserUrl, DATABASE);
  await migrateDatabase(adminUrl);

  return {
    appUrl: withCredentials(cluster.superuserUrl, APP_ROLE, password, DATABASE),
    adminUrl,
    async crash() {
      const pid = Number((await readFile(path.join(rootDir, "data", "postmaster.pid"), "utf8")).split("\n")[0]);
      process.kill(pid, "SIGQUIT");
      cluster = null;
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
    },
    async restart() {
      cluster = await startEmbeddedPostgres(options);
    },
    async destroy() {
      await cluster?.stop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
