// Composition root of the worker process: configuration, logging, database, graphile-worker.
import { createLogger } from "@audnix/core";
import { createDb } from "@audnix/db";
import { getEnv, secretValues } from "./env.ts";
import { startWorker } from "./worker.ts";
import { followUpServicesFromEnv } from "./follow-up-services.ts";
import { embedderFromEnv } from "./embedder.ts";
import { createJobsTokenCipher } from "./token-cipher.ts";
import { platformMailerFromEnv } from "./platform-mailer.ts";

const env = getEnv();
const logger = createLogger({
  level: env.LOG_LEVEL,
  sink: (line) => process.stdout.write(`${line}\n`),
  secrets: secretValues(env),
  base: { service: "jobs" },
});

function fail(message: string, error: unknown): never {
  logger.error(message, { err: error });
  process.exit(1);
}

process.on("uncaughtException", (error) => fail("uncaught exception", error));
process.on("unhandledRejection", (reason) => fail("unhandled rejection", reason));

// The URL says which database this worker serves; the logger strips its password.
logger.info("starting", { nodeEnv: env.NODE_ENV, database: env.DATABASE_URL });

// graphile-worker wants at least concurrency + 2 connections, and each running task holds one
// more for its own transaction.
const db = createDb({ url: env.DATABASE_URL, maxConnections: env.WORKER_CONCURRENCY * 2 + 2 });
// One embedder for ingestion and for the engine's knowledge queries: both must use the same model.
const embedder = embedderFromEnv(env);
const followUpServices = followUpServicesFromEnv(env, { db, cipher: createJobsTokenCipher(env), embedder });
const platformMailer = platformMailerFromEnv(env);
if (platformMailer === null) logger.warn("PLATFORM_SMTP_URL is unset: weekly summaries are stored but not emailed");
const started = startWorker({ env, db, logger, followUpServices, embedder, platformMailer }).catch((error: unknown) =>
  fail("worker failed to start", error),
);

let stopping = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  // The same signal often arrives twice (a terminal signals the whole process group and a
  // launcher relays it too); forcing an exit is left to the supervisor's SIGKILL.
  if (stopping) return;
  stopping = true;
  logger.info("shutting down", { signal });
  try {
    // A signal during startup (right after "worker ready" is logged, say) waits for it to finish.
    const runner = await started;
    await runner.stop();
    await db.close();
  } catch (error) {
    fail("shutdown failed", error);
  }
  logger.info("stopped");
  process.exit(0);
}

// Registered before the worker starts, so no signal ever finds the process without its handler.
process.on("SIGTERM", (signal) => void shutdown(signal));
process.on("SIGINT", (signal) => void shutdown(signal));

const runner = await started;

// The runner's promise settles when the pool ends; before a requested stop that is a failure.
runner.promise.then(
  () => {
    if (!stopping) fail("worker stopped unexpectedly", new Error("graphile-worker pool exited"));
  },
  (error: unknown) => fail("worker crashed", error),
);
