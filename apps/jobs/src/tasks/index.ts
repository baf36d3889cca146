import {
  INSTAGRAM_PROFILE_TASK,
  LEAD_FACTS_TASK,
  KNOWLEDGE_CRAWL_TASK,
  KNOWLEDGE_EXTRACT_TASK,
  KNOWLEDGE_INGEST_TASK,
  MEMORY_SUMMARIZE_TASK,
  OWNER_SEND_TASK,
  SUMMARY_NOW_TASK,
  WEEKLY_SUMMARY_SCHEDULE_TASK,
  WEEKLY_SUMMARY_TASK,
} from "@audnix/core";
import { NEEDS_YOU_EMAIL_TASK } from "@audnix/core";
import { FORGET_DISCONNECTED_TASK } from "@audnix/core";
import type { TaskList } from "graphile-worker";
import type { TaskDeps } from "./define-task.ts";
import { purgeExpiredSessionsTask } from "./purge-expired-sessions.ts";
import { refreshInstagramTokensTask } from "./refresh-instagram-tokens.ts";
import { forgetDisconnectedConnectionsTask } from "./forget-disconnected-connections.ts";
import { followUpNowTask } from "./followup-now.ts";
import { followUpReplanTask } from "./followup-replan.ts";
import { followUpReplyTask } from "./followup-reply.ts";
import { followUpStepTask } from "./followup-step.ts";
import { knowledgeIngestTask } from "./knowledge-ingest.ts";
import { knowledgeCrawlTask, knowledgeExtractTask } from "./knowledge-sources.ts";
import { memorySummarizeTask } from "./memory-summarize.ts";
import { instagramProfileTask } from "./instagram-profile.ts";
import { leadFactsTask } from "./lead-facts.ts";
import { scheduleWeeklySummariesTask, summaryNowTask, weeklySummaryTask } from "./weekly-summary.ts";
import { ownerSendTask } from "./owner-send.ts";
import { needsYouEmailTask } from "./needs-you-email.ts";

export type { TaskDeps } from "./define-task.ts";

/**
 * Every task this worker runs, by identifier. Listed by hand rather than scanned from a
 * directory, so a typo or a missing task fails typecheck and review, not production.
 */
export function createTaskList(deps: TaskDeps) {
  return {
    "sessions:purge-expired": purgeExpiredSessionsTask(deps),
    "connections:refresh-instagram-tokens": refreshInstagramTokensTask(deps),
    [FORGET_DISCONNECTED_TASK]: forgetDisconnectedConnectionsTask(deps),
    "followup:reply": followUpReplyTask(deps),
    "followup:step": followUpStepTask(deps),
    "followup:now": followUpNowTask(deps),
    "followup:replan": followUpReplanTask(deps),
    [KNOWLEDGE_INGEST_TASK]: knowledgeIngestTask(deps),
    [KNOWLEDGE_EXTRACT_TASK]: knowledgeExtractTask(deps),
    [KNOWLEDGE_CRAWL_TASK]: knowledgeCrawlTask(deps),
    [MEMORY_SUMMARIZE_TASK]: memorySummarizeTask(deps),
    [INSTAGRAM_PROFILE_TASK]: instagramProfileTask(deps),
    [LEAD_FACTS_TASK]: leadFactsTask(deps),
    [WEEKLY_SUMMARY_SCHEDULE_TASK]: scheduleWeeklySummariesTask(deps),
    [WEEKLY_SUMMARY_TASK]: weeklySummaryTask(deps),
    [SUMMARY_NOW_TASK]: summaryNowTask(deps),
    [OWNER_SEND_TASK]: ownerSendTask(deps),
    [NEEDS_YOU_EMAIL_TASK]: needsYouEmailTask(deps),
  } satisfies TaskList;
}

export type TaskName = keyof ReturnType<typeof createTaskList>;
