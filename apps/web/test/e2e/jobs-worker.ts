import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { withClient } from "@audnix/db/admin";

const jobsRoot = path.resolve(import.meta.dirname, "../../../jobs");
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface JobsWorker {
  /** Everything the worker printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The real worker process (`node --import tsx src/main.ts`, as `pnpm --filter @audnix/jobs start`)
 * on the e2e database; resolves once it logged "worker ready".
 */
export async function startJobsWorker(env: Record<string, string>): Promise<JobsWorker> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: jobsRoot,
    // LOG_LEVEL info: the "worker ready" line is how we know it is up.
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", WORKER_CONCURRENCY: "2", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = once(child, "exit");

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!output.includes('"worker ready"')) {
    if (child.exitCode !== null) throw new Error(`jobs worker exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jobs worker was not ready within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    // Polling interval while the process boots, not a wait for an outcome.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { output: () => output, stop };
}

/**
 * Makes the waiting jobs of `tasks` due now (a debounce, a human-like delay, a planned step), so a
 * test never waits for the clock. Running (locked) jobs are left alone. Returns how many moved.
 */
export async function makeJobsDueNow(adminUrl: string, tasks: string[]): Promise<number> {
  return withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query(
      `UPDATE graphile_worker._private_jobs j SET run_at = now()
         FROM graphile_worker._private_tasks t
        WHERE t.id = j.task_id AND t.identifier = ANY($1::text[]) AND j.locked_at IS NULL AND j.run_at > now()`,
      [tasks],
    );
    return rowCount ?? 0;
  });
}
