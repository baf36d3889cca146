import path from "node:path";
import { withClient } from "@audnix/db/admin";
import { startAppProcess, type AppProcess } from "./app-process.ts";

const jobsRoot = path.resolve(import.meta.dirname, "../../../jobs");
// The worker lets running jobs finish on SIGTERM; a job that hangs is not worth stalling the suite.
const STOP_TIMEOUT_MS = 5_000;

export type JobsWorker = AppProcess;

/**
 * The real worker process (`node --import tsx src/main.ts`, as `pnpm --filter @audnix/jobs start`)
 * on the e2e database; resolves once it logged "worker ready".
 */
export function startJobsWorker(env: Record<string, string>): Promise<JobsWorker> {
  return startAppProcess({
    name: "jobs-worker",
    args: ["--import", "tsx", "src/main.ts"],
    cwd: jobsRoot,
    // LOG_LEVEL info: the "worker ready" line is how we know it is up.
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "info", WORKER_CONCURRENCY: "2", ...env },
    isReady: (output) => output.includes('"worker ready"'),
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
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

const RUN_JOBS_TIMEOUT_MS = 30_000;

/**
 * Lets the worker run `tasks` now instead of after their debounce or human-like delay, until
 * `done` holds. Polls with a deadline: the worker is another process.
 */
export async function runJobsUntil(adminUrl: string, tasks: string[], done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + RUN_JOBS_TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`jobs ${tasks.join(", ")} did not finish within ${RUN_JOBS_TIMEOUT_MS} ms`);
    await makeJobsDueNow(adminUrl, tasks);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
