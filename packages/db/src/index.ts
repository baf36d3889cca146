export { createDb, type Db, type DbOptions, type Tx } from "./client.ts";
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
  type BillingOverview,
  type RecordPaymentEventInput,
  type RecordPaymentEventResult,
} from "./repositories/billing.ts";
export { Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/models.ts";
export * from "./generated/prisma/enums.ts";
