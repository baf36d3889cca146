// pnpm dev: the database (embedded Postgres when DATABASE_URL is unset), migrations, then the web
// app and the worker together. Ctrl-C stops all of them, the embedded cluster last.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, repoRoot, resolveDatabase } from "@audnix/db/admin";
import { startSandboxVendors } from "./sandbox-vendors.ts";

const envFile = path.join(repoRoot, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const say = (line: string) => console.log(`[dev] ${line}`);

const target = await resolveDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
  profile: "development",
});
say(target.embedded ? "embedded Postgres is running (data in .data/postgres)" : "using DATABASE_URL's server");
const { applied } = await migrateDatabase(target.adminUrl);
say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database is up to date");

const sandbox = await startSandboxVendors(process.env);
for (const note of sandbox.notes) say(`sandbox ${note}`);

// The apps get the RLS-bound app role only; the admin URL stays with this launcher.
const { DATABASE_ADMIN_URL: _admin, ...inherited } = process.env;
const apps = spawn("pnpm", ["exec", "turbo", "run", "dev", "--filter=@audnix/web", "--filter=@audnix/jobs"], {
  cwd: repoRoot,
  stdio: "inherit",
  // The worker treats an unset NODE_ENV as production; this launcher is the development setup.
  env: { NODE_ENV: "development", ...inherited, ...sandbox.env, DATABASE_URL: target.appUrl },
});

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  apps.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));

apps.on("exit", async (code) => {
  await sandbox.close();
  await target.stop();
  process.exit(code ?? 0);
});
