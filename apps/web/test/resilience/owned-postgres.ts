import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
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
import { inject } from "vitest";
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
const clustersDir = path.join(localDataRoot, "postgres-resilience");
const PRISTINE_PREFIX = "pristine-";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A stopped cluster holding the migrated database, made once per migration set (the run's
 * template name is that set's fingerprint) and copied for every check: initdb and the migrations
 * take about half a minute on a busy machine, copying the stopped data about a second.
 */
async function pristineCluster(): Promise<string> {
  const name = `${PRISTINE_PREFIX}${inject("audnixTestDatabase").template}`;
  const pristine = path.join(clustersDir, name);
  if (existsSync(pristine)) return pristine;
  const building = path.join(clustersDir, `building-${randomBytes(6).toString("hex")}`);
  const cluster = await startEmbeddedPostgres({ rootDir: building, port: await freePort(), profile: "development" });
  try {
    // The migrations grant to the app role, so it must exist; each copy gets its own password.
    await ensureAppLogin(cluster.superuserUrl, randomBytes(18).toString("base64url"));
    await withClient(cluster.superuserUrl, (client) => client.query(`CREATE DATABASE ${DATABASE}`));
    await migrateDatabase(withDatabase(cluster.superuserUrl, DATABASE));
  } finally {
    await cluster.stop();
  }
  // Renamed only when complete; if a concurrent run got there first, its copy is as good as ours.
  await rename(building, pristine).catch(() => rm(building, { recursive: true, force: true }));
  for (const entry of await readdir(clustersDir)) {
    if (entry.startsWith(PRISTINE_PREFIX) && entry !== name) await rm(path.join(clustersDir, entry), { recursive: true, force: true });
  }
  return pristine;
}

export async function startOwnedPostgres(): Promise<OwnedPostgres> {
  const rootDir = path.join(clustersDir, randomBytes(6).toString("hex"));
  // cp -a keeps the files owned by the system user Postgres runs as (it refuses data it does not own).
  await promisify(execFile)("cp", ["-a", await pristineCluster(), rootDir]);
  const options: EmbeddedPostgresOptions = { rootDir, port: await freePort(), profile: "development" };
  let cluster: RunningPostgres | null = await startEmbeddedPostgres(options);
  const password = randomBytes(18).toString("base64url");
  recordTestSecret(password, new URL(cluster.superuserUrl).password);
  await ensureAppLogin(cluster.superuserUrl, password);
  const adminUrl = withDatabase(cluster.superuserUrl, DATABASE);

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
