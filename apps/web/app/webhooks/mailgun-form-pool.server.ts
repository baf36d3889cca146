import { MAILGUN_FORM_WORKER_URL, type MailgunFormJob, type MailgunFormResult } from "@audnix/integrations";
import { Piscina } from "piscina";

export interface MailgunFormPoolOptions {
  /** Threads decoding at once. Each 25 MB email holds about 200 MB while it is parsed. */
  maxThreads: number;
  /** Jobs waiting for a thread; one more is answered "busy". */
  maxQueue: number;
  /** Wall-clock time one job may take, waiting included; past it its thread is terminated. */
  budgetMs: number;
  /** The worker module; tests swap in ones that never finish or always throw. */
  workerUrl?: string;
}

/**
 * `unfinished`: the job never came back: it ran over its budget (its thread was terminated), or
 * its thread died (over its memory limit, or an error the parser threw).
 */
export type MailgunFormOutcome =
  | { status: "done"; result: MailgunFormResult }
  | { status: "busy" }
  | { status: "unfinished"; reason: "over_budget" | "failed" };

export interface MailgunFormPool {
  /** Runs the job on a worker thread; the job's body is moved there and is empty afterwards. */
  decode(job: MailgunFormJob): Promise<MailgunFormOutcome>;
  close(): Promise<void>;
}

const MAX_THREAD_HEAP_MB = 512;

/**
 * Decision 0019: a 25 MB email took 4-10 s of one thread here. The budget counts the wait in the
 * queue too, so it covers a full queue's wait plus the job itself: with as many queue slots as
 * threads, a genuine email waits at most one decode, 2 x 10 s < 30 s.
 */
export const MAILGUN_FORM_POOL_DEFAULTS = { maxThreads: 2, maxQueue: 2, budgetMs: 30_000 } as const satisfies MailgunFormPoolOptions;

/**
 * A bounded pool of worker threads for Mailgun's form decode and MIME parse (docs/decisions/0019).
 * The bound is counted here rather than with piscina's maxQueue, whose capacity also counts
 * threads still starting, so whether a job is refused would depend on start-up timing.
 */
export function createMailgunFormPool(options: MailgunFormPoolOptions): MailgunFormPool {
  const piscina = new Piscina<MailgunFormJob, MailgunFormResult>({
    filename: options.workerUrl ?? MAILGUN_FORM_WORKER_URL,
    minThreads: 0,
    maxThreads: options.maxThreads,
    idleTimeout: 60_000,
    // A genuine 25 MB email peaks near 230 MB; a MIME built to blow up the parser kills its thread, not the server.
    resourceLimits: { maxOldGenerationSizeMb: MAX_THREAD_HEAP_MB },
  });
  let inFlight = 0;
  return {
    async decode(job) {
      if (inFlight >= options.maxThreads + options.maxQueue) return { status: "busy" };
      inFlight += 1;
      const budget = AbortSignal.timeout(options.budgetMs);
      try {
        return { status: "done", result: await piscina.run(job, { transferList: [job.body.buffer], signal: budget }) };
      } catch {
        // An abort terminates the thread running the job (piscina starts a fresh one), so a parse
        // that never ends costs one budget of one thread, not the thread for good. The worker
        // returns every outcome it knows as a value, so anything thrown is the thread failing.
        return { status: "unfinished", reason: budget.aborted ? "over_budget" : "failed" };
      } finally {
        inFlight -= 1;
      }
    },
    close: () => piscina.destroy(),
  };
}
