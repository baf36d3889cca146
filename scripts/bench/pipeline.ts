// Follow-up pipeline benchmark: N due follow-up steps drained by one worker (graphile-worker run
// in this process through apps/jobs' startWorker, so heartbeat and settings are the production
// ones), next to the same worker draining N no-op jobs, both measured in this run on this machine.
// Each step job does what production does: load + claim (one SQL call), policy, draft (sandbox
// composer), record the send as pending, send (sandbox sender: a zero-latency vendor), settle +
// plan the next step with its job (one SQL call).
import { createLogger, createSeededRandom } from "@audnix/core";
import { createDb, type Db } from "@audnix/db";
import { withClient } from "@audnix/db/admin";
import { createFollowUpServices } from "../../apps/jobs/src/follow-up-services.ts";
import { startWorker } from "../../apps/jobs/src/worker.ts";
import { setAnalyticsTriggers } from "./analytics-triggers.ts";
import { createBenchDatabase } from "./bench-database.ts";
import { printTable, summarize, type RunResult } from "./stats.ts";

const JOBS = Number(process.env.BENCH_JOBS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const quietLogger = createLogger({ level: "error", sink: (line) => process.stderr.write(`${line}\n`) });

/**
 * Starts a worker, then enqueues `jobs` in one statement and waits until the worker has completed
 * them all. Throughput is jobs over the whole drain; latency is each job's time inside the worker
 * (job:start to job:complete), since in a drain the wait in the queue only measures the backlog.
 */
async function drain(
  label: string,
  db: Db,
  enqueue: () => Promise<void>,
  options: { taskList?: Parameters<typeof startWorker>[0]["taskList"]; task: string },
): Promise<RunResult> {
  const services = createFollowUpServices({
    db,
    cipher: null,
    generator: null,
    synthesizer: null,
    appUrl: "http://localhost:3000",
    random: createSeededRandom(1),
  });
  const runner = await startWorker({
    env: { WORKER_CONCURRENCY: CONCURRENCY },
    db,
    logger: quietLogger,
    followUpServices: services,
    ...(options.taskList ? { taskList: options.taskList } : {}),
  });
  const startedAt = new Map<string, number>();
  const latenciesMs: number[] = [];
  let failures = 0;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  runner.events.on("job:start", ({ job }) => startedAt.set(job.id, performance.now()));
  runner.events.on("job:complete", ({ job, error }) => {
    if (job.task_identifier !== options.task) return;
    if (error) failures += 1;
    latenciesMs.push(performance.now() - (startedAt.get(job.id) ?? performance.now()));
    if (latenciesMs.length === JOBS) resolveDone();
  });
  try {
    // The clock starts once the jobs are committed: this measures the worker, not the bulk insert.
    await enqueue();
    const t0 = performance.now();
    await done;
    const seconds = (performance.now() - t0) / 1000;
    if (failures > 0) throw new Error(`${label}: ${failures} jobs failed`);
    return { label, operations: latenciesMs.length, seconds, latenciesMs };
  } finally {
    await runner.stop();
  }
}

/** JOBS sandbox leads, each answered once and with step 1 due now (the state a live system reaches). */
async function seedDueSteps(adminUrl: string, owner: string): Promise<{ userId: string; enqueueSql: string }> {
  // Setup is tooling: one owner-role transaction, no ORM transaction timeout on a loaded machine.
  const userId = await withClient(adminUrl, async (c) => {
    await c.query("BEGIN");
    const { rows } = await c.query<{ id: string }>(
      "INSERT INTO users (email, plan) VALUES ($1, 'pro') RETURNING id",
      [`${owner}@audnix.local`],
    );
    const id = rows[0]!.id;
    await c.query(
      "INSERT INTO brand_settings (user_id, brand_name, quiet_hours_start, quiet_hours_end) VALUES ($1, 'Bench Co', '00:00', '00:00')",
      [id],
    );
    await c.query(
      `INSERT INTO leads (user_id, external_id, channel, name, status, last_message_at)
       SELECT $1, 'bench-' || i, 'sandbox', 'Maria ' || i, 'contacted', now() - interval '2 hours'
         FROM generate_series(1, $2::int) AS i`,
      [id, JOBS],
    );
    await c.query(
      `INSERT INTO messages (user_id, lead_id, channel, direction, author, provider_message_id, body, sent_at)
       SELECT user_id, id, 'sandbox', 'inbound', 'lead', 'bench-in-' || id, 'Hi! Is the course still open?', now() - interval '2 hours'
         FROM leads WHERE user_id = $1`,
      [id],
    );
    await c.query(
      `INSERT INTO messages (user_id, lead_id, channel, direction, author, provider_message_id, idempotency_key, body, delivery_status, sent_at)
       SELECT user_id, id, 'sandbox', 'outbound', 'ai', 'bench-out-' || id, 'reply:bench-' || id, 'Hi Maria, yes it is!',
              'sent', now() - interval '110 minutes'
         FROM leads WHERE user_id = $1`,
      [id],
    );
    await c.query(
      `INSERT INTO follow_ups (user_id, lead_id, step, channel, planned_at, status, job_key)
       SELECT user_id, id, 1, 'sandbox', now(), 'planned', 'followup:step:' || id || ':1'
         FROM leads WHERE user_id = $1`,
      [id],
    );
    await c.query("COMMIT");
    // A live database has statistics; a freshly filled one must not be planned as if empty.
    await c.query("ANALYZE");
    return id;
  });
  return {
    userId,
    enqueueSql: `SELECT graphile_worker.add_job('followup:step', json_build_object('followUpId', id, 'userId', user_id),
                                              job_key := job_key)
                   FROM follow_ups WHERE user_id = '${userId}' AND status = 'planned' AND step = 1`,
  };
}

export async function benchPipeline(): Promise<void> {
  const bench = await createBenchDatabase();
  const { adminUrl } = bench;
  // graphile-worker wants concurrency + 2 connections; each running task holds one more.
  const db = createDb({ url: bench.appUrl, maxConnections: CONCURRENCY * 2 + 2 });
  try {
    console.log(`pipeline: no-op baseline (${JOBS} jobs, concurrency ${CONCURRENCY}, one worker)…`);
    const noop = summarize(
      await drain(
        "graphile-worker no-op jobs (baseline)",
        db,
        () =>
          withClient(adminUrl, async (c) => {
            await c.query(`SELECT graphile_worker.add_job('bench:noop', '{}'::json) FROM generate_series(1, $1::int)`, [JOBS]);
            await c.query("ANALYZE graphile_worker._private_jobs");
          }),
        { taskList: { "bench:noop": async () => {} }, task: "bench:noop" },
      ),
    );

    const enqueueOf = (enqueueSql: string) => () =>
      withClient(adminUrl, async (c) => {
        await c.query(enqueueSql);
        await c.query("ANALYZE graphile_worker._private_jobs");
      });
    // What keeping the analytics rollups costs the send path: the same drain with their triggers off.
    const unkept = await seedDueSteps(adminUrl, "bench-pipeline-no-rollups");
    console.log(`pipeline: follow-up steps without the analytics triggers (${JOBS} leads)…`);
    await setAnalyticsTriggers(adminUrl, false);
    const withoutRollups = summarize(await drain("followup:step without the analytics triggers", db, enqueueOf(unkept.enqueueSql), { task: "followup:step" }));
    await setAnalyticsTriggers(adminUrl, true);

    const { userId, enqueueSql } = await seedDueSteps(adminUrl, "bench-pipeline");
    console.log(`pipeline: follow-up steps (${JOBS} leads with a due step, same worker settings)…`);
    const pipeline = summarize(await drain("followup:step (policy, draft, send, log, plan next)", db, enqueueOf(enqueueSql), { task: "followup:step" }));

    const checks = await withClient(adminUrl, (c) =>
      c.query<{ sent: number; planned: number }>(
        `SELECT (SELECT count(*)::int FROM messages WHERE user_id = $1 AND idempotency_key LIKE 'step:%'
                   AND delivery_status = 'sent') AS sent,
                (SELECT count(*)::int FROM follow_ups WHERE user_id = $1 AND step = 2 AND status = 'planned') AS planned`,
        [userId],
      ),
    );
    const { sent, planned } = checks.rows[0] ?? { sent: 0, planned: 0 };
    if (sent !== JOBS || planned !== JOBS) throw new Error(`pipeline: expected ${JOBS} sends and plans, got ${sent} and ${planned}`);

    printTable(
      `Follow-up pipeline (${JOBS} jobs, concurrency ${CONCURRENCY}, one in-process worker, ${bench.embedded ? "embedded Postgres" : "DATABASE_URL's server"}; latency = time inside the worker)`,
      [noop, withoutRollups, pipeline],
      noop,
      ">= 1,000 follow-ups/s, >= 0.5x the no-op baseline",
    );
  } finally {
    await db.close();
    await bench.drop();
  }
}
