import type { KnowledgeExtraction, KnowledgeFileExtractor, KnowledgeFileFormat } from "@audnix/core";
import { Piscina } from "piscina";

export const KNOWLEDGE_EXTRACT_WORKER_URL = new URL("./extract-worker.ts", import.meta.url).href;

export interface KnowledgeExtractPoolOptions {
  /** Files parsed at once; more wait for a thread. */
  maxThreads?: number;
  /** Wall-clock time one file may take, waiting included; past it its thread is terminated. */
  budgetMs?: number;
  /** The worker module; tests swap in one that never finishes. */
  workerUrl?: string;
}

/**
 * A 200-page PDF took 3 s here on a loaded machine; a 500-page one or two files waiting for the
 * same thread stay well inside 2 minutes. 512 MB of heap: a 10 MB file's parse peaks far below.
 */
export const KNOWLEDGE_EXTRACT_POOL_DEFAULTS = { maxThreads: 2, budgetMs: 120_000 } as const;
const MAX_THREAD_HEAP_MB = 512;

export interface KnowledgeExtractPool {
  extract: KnowledgeFileExtractor;
  close(): Promise<void>;
}

/**
 * Parses uploads on worker threads (docs/decisions/0020), as 0019 does for mail: a file that
 * makes pdf.js spin or eat memory costs one budget of one thread, and ends the document failed
 * ("too_slow", or "unreadable" when the thread died), not the job worker.
 */
export function createKnowledgeExtractPool(options: KnowledgeExtractPoolOptions = {}): KnowledgeExtractPool {
  const budgetMs = options.budgetMs ?? KNOWLEDGE_EXTRACT_POOL_DEFAULTS.budgetMs;
  const piscina = new Piscina<{ format: KnowledgeFileFormat; bytes: Uint8Array }, KnowledgeExtraction>({
    filename: options.workerUrl ?? KNOWLEDGE_EXTRACT_WORKER_URL,
    minThreads: 0,
    maxThreads: options.maxThreads ?? KNOWLEDGE_EXTRACT_POOL_DEFAULTS.maxThreads,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: MAX_THREAD_HEAP_MB },
  });
  return {
    async extract(input) {
      const budget = AbortSignal.timeout(budgetMs);
      try {
        // Copied, not transferred: the caller's bytes stay whole.
        return await piscina.run({ format: input.format, bytes: input.bytes }, { signal: budget });
      } catch {
        // The worker answers every file it can read or not as a value: a throw is the budget
        // (piscina terminated the thread and starts a fresh one) or the thread dying.
        return { ok: false, failure: budget.aborted ? "too_slow" : "unreadable" };
      }
    },
    close: () => piscina.destroy(),
  };
}
