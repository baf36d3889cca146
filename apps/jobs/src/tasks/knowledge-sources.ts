import { KNOWLEDGE_FAILURE_NOTES, knowledgeSourcePayloadSchema, type KnowledgeSourcePayload } from "@audnix/core";
import { markKnowledgeSourceFailed, runKnowledgeCrawlStep, runKnowledgeExtractStep, type SourceStep } from "@audnix/db";
import { createSiteFetcher, extractKnowledgeFile } from "@audnix/integrations";
import { defineTask, type TaskRun } from "./define-task.ts";

const publicWeb = createSiteFetcher();

/**
 * knowledge:extract reads an uploaded file into the document's text; knowledge:crawl reads a
 * website a few pages per run (docs/decisions/0020). A file or page that cannot be read is an
 * outcome (the document fails with the reason, no retry); a throw is something that may pass
 * (the database, a restart) and is retried, the document failing only when retries are spent.
 */
export const knowledgeExtractTask = defineTask(knowledgeSourcePayloadSchema, (payload, run) =>
  runSourceStep(payload, run, () => runKnowledgeExtractStep(run.deps.db, run.deps.knowledgeFileExtractor ?? extractKnowledgeFile, payload)),
);

export const knowledgeCrawlTask = defineTask(knowledgeSourcePayloadSchema, (payload, run) =>
  runSourceStep(payload, run, () => runKnowledgeCrawlStep(run.deps.db, run.deps.siteFetcher ?? publicWeb, payload)),
);

async function runSourceStep(payload: KnowledgeSourcePayload, { deps, logger, helpers }: TaskRun, step: () => Promise<SourceStep>): Promise<void> {
  try {
    const result = await step();
    logger.info("knowledge source step", {
      documentId: payload.documentId,
      revision: payload.revision,
      outcome: result.outcome,
      ...(result.outcome === "crawling" ? { fetched: result.fetched, queued: result.queued } : {}),
      ...(result.outcome === "extracted" ? { chars: result.chars } : {}),
    });
  } catch (error) {
    if (helpers.job.attempts >= helpers.job.max_attempts) {
      await markKnowledgeSourceFailed(deps.db, payload, KNOWLEDGE_FAILURE_NOTES.gaveUp);
    }
    throw error;
  }
}
