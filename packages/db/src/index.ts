export { createDb, type Db, type DbOptions, type TransactionOptions, type Tx } from "./client.ts";
export { ownerTimeZone } from "./repositories/owner-time-zone.ts";
export { AnalyticsRangeError, loadAnalyticsOverview, loadAnalyticsSeries } from "./repositories/analytics.ts";
export { signInWithProvider, type ProviderIdentity } from "./repositories/users.ts";
export {
  createSession,
  deleteSession,
  findActiveSession,
  purgeExpiredSessions,
  type ActiveSession,
} from "./repositories/sessions.ts";
export { captureDelivery, type CaptureInput, type CaptureSummary } from "./repositories/capture.ts";
export {
  captureMailgunDelivery,
  repeatOutcome,
  usedMailgunToken,
  type MailgunCaptureResult,
  type MailgunTokenUse,
} from "./repositories/mailgun-tokens.ts";
export {
  listenForLiveEvents,
  LIVE_EVENTS_CHANNEL,
  type LiveEvent,
  type LiveEventsListener,
  type LiveEventsOptions,
} from "./live-events.ts";
export {
  billingOverview,
  consumeVoiceMinutes,
  recordPaymentEvent,
  recordRefusedPaymentEvent,
  type BillingOverview,
  type RecordPaymentEventInput,
  type RecordPaymentEventResult,
  type RecordRefusedPaymentEventInput,
} from "./repositories/billing.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export * from "./generated/prisma/enums.ts";
export {
  ConnectionInUseError,
  disconnectConnection,
  undoDisconnect,
  forgetDisconnectedCredentials,
  listConnections,
  listInstagramTokensDueForRefresh,
  loadConnectionCredentials,
  markConnectionNeedsReconnect,
  reencryptAllConnections,
  saveConnection,
  saveRefreshedInstagramToken,
  type ConnectionSummary,
  type InstagramTokenDue,
  type SaveConnectionInput,
} from "./repositories/connections.ts";
export {
  adoptBrowserTimeZone,
  BRAND_SETTINGS_DEFAULTS,
  getBrandSettings,
  updateBrandSettings,
  type BrandSettings,
  type BrandSettingsValues,
} from "./repositories/brand-settings.ts";
export {
  followUpNowState,
  LeadControlError,
  markLeadConverted,
  undoLeadConversion,
  leadConversion,
  type ConversionWorth,
  type LeadConversionView,
  pauseLeadAi,
  requestFollowUpNow,
  resumeLeadAi,
  type FollowUpNowBlock,
  type FollowUpNowResult,
  type LeadControlRefusal,
} from "./repositories/lead-controls.ts";
export {
  cancelFollowUpStep,
  listReplannableSteps,
  moveFollowUpStep,
  queueFollowUpReplan,
  type ReplannableStep,
} from "./repositories/follow-up-replan.ts";
export { takeStepForNow, type FollowUpNowState } from "./repositories/follow-up-now.ts";
export { readReplyDue, settleReplyDue } from "./repositories/reply-due.ts";
export { readAnalyticsRollups, rebuildAnalyticsRollups, type AnalyticsRollups } from "./repositories/analytics-rollups.ts";
export {
  beginSend,
  completeSend,
  failSend,
  loadFollowUpContext,
  nextPlannedStep,
  recordOptOut,
  releaseSend,
  stopFollowUps,
  type BeginSendInput,
  type BeginSendResult,
  type CompleteSendInput,
  type FailSendInput,
  type FollowUpContext,
  type FollowUpInbound,
  type FollowUpMessage,
  type NextStepPlan,
  type PlannedStep,
  type ReleaseSendInput,
  type StopFollowUpsInput,
} from "./repositories/follow-ups.ts";
export { connectedChannels, emailThread, lastInboundByChannel, reachableChannels, recipientOn } from "./repositories/lead-addresses.ts";
export {
  loadOwnerSend,
  recordOwnerSend,
  retryFailedSend,
  RetrySendError,
  type OwnerSendRow,
  type RecordOwnerSendInput,
  type RetrySendRefusal,
} from "./repositories/owner-sends.ts";
export { loadMediaAsset, saveMediaAsset, type NewMediaAsset } from "./repositories/media-assets.ts";
export {
  ensureUnsubscribeToken,
  findUnsubscribeLead,
  unsubscribeByToken,
  UNSUBSCRIBE_TOKEN_FACT,
} from "./repositories/unsubscribe-tokens.ts";
export { recordWorkerHeartbeat, releaseStaleWorkers, removeWorkerHeartbeat } from "./repositories/worker-heartbeats.ts";
export {
  addKnowledgeDocument,
  KnowledgeLimitError,
  listKnowledgeDocuments,
  loadKnowledgeDocumentToIndex,
  markKnowledgeFailed,
  markKnowledgeUnchanged,
  removeKnowledgeDocument,
  writeKnowledgeBatch,
  type IndexedChunk,
  type KnowledgeBatch,
  type KnowledgeDocumentSummary,
  type KnowledgeDocumentToIndex,
  type NewKnowledgeDocument,
} from "./repositories/knowledge.ts";
export {
  exactRealArrayRankingSql,
  PGVECTOR_DIMENSIONS,
  pgvectorRankingSql,
  searchKnowledge,
  type KnowledgeSearchInput,
  type KnowledgeSearchResult,
} from "./repositories/knowledge-search.ts";
export { runKnowledgeIngestStep, type IngestStep } from "./repositories/knowledge-ingest.ts";
export {
  addKnowledgeFile,
  addKnowledgeUrl,
  KnowledgeSourceRefusedError,
  knowledgeRefusalMessage,
  markKnowledgeSourceFailed,
  reindexKnowledgeDocument,
  runKnowledgeCrawlStep,
  runKnowledgeExtractStep,
  type SourceStep,
} from "./repositories/knowledge-sources.ts";
export {
  loadLeadProfileTarget,
  saveLeadProfile,
  type LeadProfileOutcome,
  type LeadProfileTarget,
} from "./repositories/lead-profiles.ts";
export { createKnowledgeSource, type KnowledgeSourceOptions } from "./repositories/knowledge-passages.ts";
export { clearNeedsOwner } from "./repositories/needs-owner.ts";
export { claimNeedsYouAlert, releaseNeedsYouAlert, type NeedsYouAlertClaim } from "./repositories/needs-you-alerts.ts";
export {
  loadConversation,
  loadMessagesToSummarize,
  saveConversationSummary,
  type ConversationMessage,
  type ConversationSummary,
  type LoadedConversation,
  type MessagesToSummarize,
  type SaveConversationSummaryInput,
} from "./repositories/conversation-memory.ts";
export {
  addOwnerFact,
  factMessage,
  LeadFactNotFoundError,
  LeadFactValueError,
  listLeadMemoryFacts,
  removeLeadFact,
  saveExtractedFacts,
  unextractedFactMessages,
  updateOwnerFact,
  type FactMessage,
  type LeadMemoryFactRow,
  type SaveFactsResult,
} from "./repositories/lead-memory.ts";
export {
  claimSummaryEmail,
  findWeeklySummary,
  insertWeeklySummary,
  listSummaries,
  listWeeklySummaryOwners,
  loadSummary,
  loadSummaryHighlightRows,
  loadSummaryOwner,
  markSummaryNotEmailed,
  requestWeekToDateSummary,
  saveSummaryContent,
  settleSummaryEmail,
  type SummaryClaim,
  type SummaryHighlightRows,
  type SummaryOwnerDetails,
  type SummaryRow,
  type WeekToDateRequest,
  type WeeklySummaryOwner,
} from "./repositories/weekly-summaries.ts";
