import type { Embedder, KnowledgeFileExtractor, Logger, PlatformMailer, SiteFetcher, TokenCipher } from "@audnix/core";
import type { Db } from "@audnix/db";
import type { JobHelpers, Task } from "graphile-worker";
import type { z } from "zod";
import type { FollowUpServices } from "../follow-up-services.ts";

/** What every task may use; built once by the composition root. */
export interface TaskDeps {
  db: Db;
  logger: Logger;
  now: () => Date;
  /** Opens and seals stored channel credentials (docs/decisions/0008). */
  tokenCipher: TokenCipher;
  /** https://graph.instagram.com, or the fake: where Instagram tokens are refreshed. */
  instagramGraphBaseUrl: string;
  /** Model, voice, senders and randomness of the follow-up engine. */
  followUpServices: FollowUpServices;
  /** Embeddings for knowledge chunks; absent or null (no OPENAI_API_KEY): full-text search only. */
  embedder?: Embedder | null;
  /** Uploaded knowledge files to text (knowledge:extract); absent: the integrations' parsers. */
  knowledgeFileExtractor?: KnowledgeFileExtractor;
  /** Website pages for knowledge:crawl; absent: the public web only (private-network check on). */
  siteFetcher?: SiteFetcher;
  /** The platform's own mail to owners (PLATFORM_SMTP_URL); absent or null: nothing is emailed. */
  platformMailer?: PlatformMailer | null;
}

export interface TaskRun {
  deps: TaskDeps;
  /** Scoped to this job (task name, job id, attempt). */
  logger: Logger;
  helpers: JobHelpers;
}

export type TaskFactory = (deps: TaskDeps) => Task;

/**
 * A task whose payload is validated at runtime: jobs are rows anyone with database access can
 * insert (SQL add_job, older deploys, hand-run fixes), so the type of a payload is a claim, not a fact.
 */
export function defineTask<Schema extends z.ZodType>(
  payloadSchema: Schema,
  handler: (payload: z.output<Schema>, run: TaskRun) => Promise<void>,
): TaskFactory {
  return (deps) => async (rawPayload, helpers) => {
    const { job } = helpers;
    const logger = deps.logger.child({ task: job.task_identifier, jobId: job.id, attempt: job.attempts });
    const parsed = payloadSchema.safeParse(rawPayload);
    if (!parsed.success) {
      // Throwing would make graphile-worker retry up to max_attempts (25 by default, for days),
      // and the same bytes fail every time. The job finishes now; the error line (issue paths and
      // messages only, since payloads can hold personal data) is the record to act on.
      logger.error("job payload invalid; dropping job", {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      });
      return;
    }
    await handler(parsed.data, { deps, logger, helpers });
  };
}
