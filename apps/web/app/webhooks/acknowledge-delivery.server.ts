import type { Logger, ParsedDelivery } from "@audnix/core";
import type { CaptureInput, CaptureSummary } from "@audnix/db";
import { plainText } from "./webhook-responses.server.ts";

/** The capture transaction (`captureDelivery` bound to a database), injected so tests choose the database. */
export type CaptureDelivery = (input: CaptureInput) => Promise<CaptureSummary>;

/** A capture that may settle a delivery without storing it, with the answer to give instead. */
type CaptureOrAnswer = (input: CaptureInput) => Promise<CaptureSummary | Response>;

interface AcknowledgeOptions {
  log: Logger;
  capture: CaptureOrAnswer;
  delivery: ParsedDelivery;
  /** core's deliveryIdOf the raw body (for email taken on the worker thread, where the body went). */
  deliveryId: string;
  bytes: number;
  receivedAt: Date;
}

/**
 * Stores a verified, parsed delivery and answers the platform. A capture that failed for a reason a
 * retry can fix (the database unreachable, a lost race) answers 500 so the platform retries (the
 * delivery id makes the retry safe); everything else is 200: deliveries nobody is connected for,
 * entries core skipped (named in the log), and a delivery the database refused for good (kept as
 * failed webhook events), none of which the platform could fix by retrying.
 */
export async function captureAndAcknowledge({ log, capture, delivery, deliveryId, bytes, receivedAt }: AcknowledgeOptions) {
  if (delivery.rejected.length > 0) {
    log.warn("webhook entries skipped", { deliveryId, rejected: delivery.rejected });
  }
  let summary: CaptureSummary | Response;
  try {
    summary = await capture({ delivery, deliveryId, receivedAt });
  } catch (error) {
    log.error("webhook capture failed", { deliveryId, bytes, error });
    return plainText(500, "capture failed; retry later");
  }
  // A pipeline that settled the delivery without storing it (a Mailgun token seen before) answers for itself.
  if (summary instanceof Response) return summary;
  if (summary.refused) {
    log.warn("webhook capture refused by the database; kept as failed", { deliveryId, sqlState: summary.refused.sqlState });
    return Response.json({ ok: true });
  }
  log.info("webhook captured", {
    deliveryId,
    bytes,
    outcomes: summary.groups.map((group) => group.outcome),
    messagesInserted: summary.messagesInserted,
    duplicateMessages: summary.duplicateMessages,
    leadsCreated: summary.leadsCreated,
    leadsOptedOut: summary.leadsOptedOut,
    deliveryReportsApplied: summary.deliveryReportsApplied,
  });
  return Response.json({ ok: true });
}
