import type { Logger as AppLogger } from "@audnix/core";
import type { Db } from "@audnix/db";
import { Logger as WorkerLogger, run, type Runner } from "graphile-worker";
import { cronItems } from "./crontab.ts";
import type { JobsEnv } from "./env.ts";
import { assertQueueAccess } from "./queue-access.ts";
import { createTaskList } from "./tasks/index.ts";

export interface StartWorkerOptions {
  env: Pick<JobsEnv, "WORKER_CONCURRENCY">;
  db: Db;
  logger: AppLogger;
}

export async function startWorker(options: StartWorkerOptions): Promise<Runner> {
  const { env, db, logger } = options;
  await assertQueueAccess(db);
  const taskList = createTaskList({ db, logger, now: () => new Date() });
  const runner = await run({
    // The app's pool: its role is bound by row-level security, and graphile-worker's schema was
    // installed by the migration step, so the worker only finds it up to date.
    pgPool: db.pool,
    concurrency: env.WORKER_CONCURRENCY,
    // main.ts owns the signals so the database closes after the worker has drained.
    noHandleSignals: true,
    taskList,
    parsedCronItems: cronItems,
    logger: workerLogger(logger.child({ component: "graphile-worker" })),
  });
  logger.info("worker ready", { tasks: Object.keys(taskList), concurrency: env.WORKER_CONCURRENCY });
  return runner;
}

/** graphile-worker's logger writing through ours, so its lines are JSON and redacted too. */
function workerLogger(logger: AppLogger): WorkerLogger {
  return new WorkerLogger((scope) => {
    const scoped = logger.child({ ...scope });
    return (level, message, meta) => {
      const write = level === "warning" ? scoped.warn : scoped[level];
      write(message, meta);
    };
  });
}
