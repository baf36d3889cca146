import { PLAN_LIMITS, REPLY_DEBOUNCE_SECONDS, type ParsedDelivery } from "@audnix/core";
import type pg from "pg";
import { z } from "zod";
import type { Db } from "../client.ts";

const captureSummarySchema = z.object({
  groups: z.array(
    z.object({
      accountId: z.string(),
      userId: z.string().nullable(),
      outcome: z.enum(["processed", "unrouted", "duplicate"]),
    }),
  ),
  messagesInserted: z.number(),
  duplicateMessages: z.number(),
  leadsCreated: z.number(),
  followUpsBlocked: z.number(),
});

export type CaptureSummary = z.infer<typeof captureSummarySchema>;

export interface CaptureInput {
  delivery: ParsedDelivery;
  /** Identifies the delivery (the sha256 of its raw body): the same delivery twice is a no-op. */
  deliveryId: string;
  receivedAt: Date;
}

const leadLimits = Object.fromEntries(Object.entries(PLAN_LIMITS).map(([plan, limits]) => [plan, limits.leads]));

/**
 * Records a verified delivery in one statement, hence one transaction and one round trip:
 * app_capture_delivery (migration 20261125213000) routes, dedupes, upserts leads, inserts
 * messages, applies plan limits, cancels follow-ups, enqueues the debounced reply and NOTIFYs.
 * It runs on the system path because a webhook is not yet anyone's until it is routed.
 * `via` is a client inside the caller's own transaction when it must commit together with more
 * (the Mailgun token of the same delivery: mailgun-tokens.ts).
 */
export async function captureDelivery(db: Db, input: CaptureInput, via: Pick<pg.PoolClient, "query"> = db.pool): Promise<CaptureSummary> {
  const { rows } = await via.query<{ summary: unknown }>(
    'SELECT app_capture_delivery($1::"Channel", $2, $3::jsonb, $4, $5::jsonb, $6) AS summary',
    [
      input.delivery.channel,
      input.deliveryId,
      JSON.stringify(input.delivery.groups),
      input.receivedAt,
      JSON.stringify(leadLimits),
      REPLY_DEBOUNCE_SECONDS,
    ],
  );
  return captureSummarySchema.parse(rows[0]?.summary);
}
