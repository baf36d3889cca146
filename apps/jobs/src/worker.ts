import type { Logger as AppLogger, Embedder, PlatformMailer, SiteFetcher } from "@audnix/core";
import { recordWorkerHeartbeat, type Db } from "@audnix/db";
import { createKnowledgeExtractPool } from "@audnix/integrations";
import { EventEmitter } from "node:events";
import { Logger as WorkerLogger, run, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { cronItems } from "./crontab.ts";
import { DEFAULT_INSTAGRAM_GRAPH_BASE_URL, type JobsEnv } from "./env.ts";
import { createFollowUpServices, type FollowUpServices } from "./follow-up-services.ts";
import { assertQueueAccess } from "./queue-access.ts";
import { createTaskList } from "./tasks/index.ts";
import { startHeartbeat } from "./worker-heartbeat.ts";
import { createJobsTokenCipher } from "./token-cipher.ts";

export interface StartWorkerOptions {
  env: Pick<JobsEnv, "WORKER_CONCURRENCY"> &
    Partial<Pick<JobsEnv, "WORKER_HEARTBEAT_SECONDS" | "WORKER_STALE_AFTER_SECONDS">> &
    Partial<Pick<JobsEnv, "ENCRYPTION_KEY" | "ENCRYPTION_OLD_KEYS" | "INSTAGRAM_GRAPH_BASE_URL">>;
  db: Db;
  logger: AppLogger;
  /** Default: sandbox only (no model, no voice, no stored credentials), as in tests without vendors. */
  followUpServices?: FollowUpServices;
  /** Embeddings for knowledge ingestion; default none (full-text search only). */
  embedder?: Embedder | null;
  /** Default: the public web only (the private-network check on); tests allow their local site. */
  siteFetcher?: SiteFetcher;
  /** The platform's mail to owners (weekly summaries, alerts); default none: nothing is emailed. */
  platformMailer?: PlatformMailer | null;
  /** The clock tasks and heartbeats read (tests move it). */
  now?: () => Date;
  /** Replaces the task list: the benchmark's no-op baseline runs on the very same worker setup. */
  taskList?: TaskList;
}

export async function startWorker(options: StartWorkerOptions): Promise<Runner> {
  const { env, db, logger } = options;
  const now = options.now ?? (() => new Date());
  // A role that skips row-level security (superuser, BYPASSRLS) would silently drop tenant
  // isolation in every job: refuse it, as the web app does.
  await db.assertRowLevelSecurityApplies();
  await assertQueueAccess(db);
  const tokenCipher = createJobsTokenCipher(env);
  const followUpServices =
    options.followUpServices ??
    createFollowUpServices({ db, cipher: tokenCipher, generator: null, synthesizer: null, embedder: options.embedder ?? null, appUrl: "http://localhost:3000" });
  // Uploads are parsed on worker threads with a deadline (docs/decisions/0020); no thread starts
  // until the first file.
  const extractPool = createKnowledgeExtractPool();
  const taskList = options.taskList ?? createTaskList({
    db,
    logger,
    now,
    followUpServices,
    embedder: options.embedder ?? null,
    knowledgeFileExtractor: extractPool.extract,
    ...(options.siteFetcher ? { siteFetcher: options.siteFetcher } : {}),
    platformMailer: options.platformMailer ?? null,
    tokenCipher,
    instagramGraphBaseUrl: env.INSTAGRAM_GRAPH_BASE_URL ?? DEFAULT_INSTAGRAM_GRAPH_BASE_URL,
  });
  // The pool id is what graphile-worker writes into locked_by (its local queue locks jobs for the
  // pool): the heartbeat is recorded under it. The first beat leaves as the pool is created, in
  // the same tick as its first fetch, so a pool that dies holding its first jobs is in the
  // register and a sweep frees them (nothing else could: its tables are not ours to read).
  const events: WorkerEvents = new EventEmitter();
  let poolId: string | null = null;
  let registered: Promise<void> = Promise.resolve();
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
    registered = recordWorkerHeartbeat(db, { workerId: workerPool.id, now: now() });
    // Awaited once run() returns; until then a failure must not count as unhandled.
    registered.catch(() => {});
  });
  const runner = await run({
    events,
    // The app's pool: its role is bound by row-level security, and graphile-worker's schema was
    // installed by the migration step, so the worker only finds it up to date.
    pgPool: db.pool,
    concurrency: env.WORKER_CONCURRENCY,
    // Batching (docs/decisions/0011): the pool locks a few jobs per query for its workers instead
    // of one query per job, and completes finished jobs together (delay 0: whatever finished in
    // the same tick). Jobs it holds stay locked by this pool; if the process dies, the heartbeat
    // sweep frees them, and a re-run finds its send already recorded (idempotency key).
    preset: { worker: { localQueue: { size: env.WORKER_CONCURRENCY * 4 }, completeJobBatchDelay: 0 } },
    // main.ts owns the signals so the database closes after the worker has drained.
    noHandleSignals: true,
    taskList,
    parsedCronItems: cronItems,
    logger: workerLogger(logger.child({ component: "graphile-worker" })),
  });
  if (poolId === null) throw new Error("graphile-worker started without announcing its pool");
  await registered;
  const heartbeat = await startHeartbeat({
    db,
    workerId: poolId,
    intervalMs: (env.WORKER_HEARTBEAT_SECONDS ?? 15) * 1000,
    staleAfterMs: (env.WORKER_STALE_AFTER_SECONDS ?? 120) * 1000,
    now,
    logger: logger.child({ component: "heartbeat" }),
  });
  const stopRunner = runner.stop.bind(runner);
  runner.stop = async (reason) => {
    await stopRunner(reason);
    await heartbeat.stop();
    await extractPool.close();
  };
  logger.info("worker ready", { tasks: Object.keys(taskList), concurrency: env.WORKER_CONCURRENCY, workerId: poolId });
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
