import { MAILGUN_FORM_WORKER_URL, type MailgunFormJob, type MailgunFormResult } from "@audnix/integrations";
import { Piscina } from "piscina";

export interface MailgunFormPoolOptions {
  /** Threads decoding at once. Each 25 MB email holds about 200 MB while it is parsed. */
  maxThreads: number;
  /** Jobs waiting for a thread; one more is answered "busy". */
  maxQueue: number;
  /** Wall-clock time one job may take, waiting included; past it its thread is terminated. */
  budgetMs: number;
  /** The worker module; tests swap in one that never finishes. */
  workerUrl?: string;
}

export type MailgunFormOutcome = { status: "done"; result: MailgunFormResult } | { status: "busy" } | { status: "over_budget" };

export interface MailgunFormPool {
  /** Runs the job on a worker thread; the job's body is moved there and is empty afterwards. */
  decode(job: MailgunFormJob): Promise<MailgunFormOutcome>;
  close(): Promise<void>;
}

/** Measured in decision 0019: a 25 MB email takes about 5.5 s of one thread; Mailgun waits longer than this for an answer. */
export const MAILGUN_FORM_POOL_DEFAULTS = { maxThreads: 2, maxQueue: 8, budgetMs: 30_000 } as const satisfies MailgunFormPoolOptions;

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
  });
  let inFlight = 0;
  return {
    async decode(job) {
      if (inFlight >= options.maxThreads + options.maxQueue) return { status: "busy" };
      inFlight += 1;
      const budget = AbortSignal.timeout(options.budgetMs);
      try {
        return { status: "done", result: await piscina.run(job, { transferList: [job.body.buffer], signal: budget }) };
      } catch (error) {
        // An abort terminates the thread running the job (piscina starts a fresh one), so a parse
        // that never ends costs one budget of one thread, not the thread for good.
        if (budget.aborted) return { status: "over_budget" };
        throw error;
      } finally {
        inFlight -= 1;
      }
    },
    close: () => piscina.destroy(),
  };
}
