import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { createServer } from "node:net";
import { startEmbeddedPostgres, sweepStaleTestClusters } from "./embedded-postgres.ts";
import { localDataRoot } from "./paths.ts";
import { APP_ROLE, ensureAppLogin, ensureDatabase, withCredentials, withDatabase } from "./roles.ts";

export interface DatabaseTarget {
  /** Where the app connects: the RLS-bound app role. */
  appUrl: string;
  /** Owner/superuser connection for migrations and test setup. */
  adminUrl: string;
  /** True when this process is using the embedded cluster. */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  /** DATABASE_URL as configured; unset selects the embedded cluster. */
  databaseUrl?: string | undefined;
  /** DATABASE_ADMIN_URL as configured; defaults to databaseUrl. */
  adminUrl?: string | undefined;
  profile: "development" | "test";
  onLog?: (line: string) => void;
}

const DEVELOPMENT_PORT = 54329;
const embeddedDatabase = "audnix";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("could not pick a free port");
  return address.port;
}

// Development shares one lasting cluster; every test run gets a throwaway cluster of its own, so
// two runs at once (two terminals, parallel agents) never stop each other's database.
async function clusterLocation(profile: ResolveDatabaseOptions["profile"]): Promise<{ rootDir: string; port: number }> {
  if (profile === "development") return { rootDir: path.join(localDataRoot, "postgres"), port: DEVELOPMENT_PORT };
  const parent = path.join(localDataRoot, "postgres-test");
  await sweepStaleTestClusters(parent);
  return { rootDir: path.join(parent, randomBytes(6).toString("hex")), port: await freePort() };
}

async function appRolePassword(rootDir: string): Promise<string> {
  const file = path.join(rootDir, "app-role-password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(18).toString("base64url");
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

/**
 * The database this process should use: the configured server when DATABASE_URL is set,
 * otherwise a local embedded Postgres with the app role provisioned.
 */
export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<DatabaseTarget> {
  if (options.databaseUrl) {
    return {
      appUrl: options.databaseUrl,
      adminUrl: options.adminUrl ?? options.databaseUrl,
      embedded: false,
      stop: async () => {},
    };
  }
  const { rootDir, port } = await clusterLocation(options.profile);
  await mkdir(rootDir, { recursive: true });
  const cluster = await startEmbeddedPostgres({
    rootDir,
    port,
    profile: options.profile,
    ...(options.onLog ? { onLog: options.onLog } : {}),
  });
  const password = await appRolePassword(rootDir);
  await ensureAppLogin(cluster.superuserUrl, password);
  await ensureDatabase(cluster.superuserUrl, embeddedDatabase);
  return {
    appUrl: withCredentials(cluster.superuserUrl, APP_ROLE, password, embeddedDatabase),
    adminUrl: withDatabase(cluster.superuserUrl, embeddedDatabase),
    embedded: true,
    stop: cluster.stop,
  };
}
