import {
  DELIVERY_STATUS_RANK,
  FOLLOW_UP_JOBS,
  inboundNeedsOwnerReason,
  INSTAGRAM_PROFILE_JOB_KEY_PREFIX,
  INSTAGRAM_PROFILE_TASK,
  LEAD_FACTS_JOB_KEY_PREFIX,
  LEAD_FACTS_TASK,
  nextLeadStatus,
  nowJobKey,
  PLAN_LIMITS,
  replyJobKey,
  REPLY_DEBOUNCE_SECONDS,
  storableJson,
  type ParsedDelivery,
} from "@audnix/core";
import pg from "pg";
import { z } from "zod";
import type { Db } from "../client.ts";
import { LeadStatus } from "../generated/prisma/enums.ts";
import { isTransientDatabaseError } from "./database-error.ts";

const captureSummarySchema = z.object({
  groups: z.array(
    z.object({
      accountId: z.string(),
      userId: z.string().nullable(),
      outcome: z.enum(["processed", "unrouted", "duplicate", "refused"]),
    }),
  ),
  messagesInserted: z.number(),
  duplicateMessages: z.number(),
  leadsCreated: z.number(),
  followUpsBlocked: z.number(),
  leadsOptedOut: z.number(),
  /** Messages whose delivery status a vendor report moved (WhatsApp statuses, Instagram reads). */
  deliveryReportsApplied: z.number(),
  /** The database refused the delivery for good (its SQLSTATE); it is kept as "failed" webhook events. */
  refused: z.object({ sqlState: z.string() }).nullable().default(null),
});

export type CaptureSummary = z.infer<typeof captureSummarySchema>;

export interface CaptureInput {
  delivery: ParsedDelivery;
  /** Identifies the delivery (the sha256 of its raw body): the same delivery twice is a no-op. */
  deliveryId: string;
  receivedAt: Date;
}

/** The pool, or a client inside the caller's transaction. */
type Queryable = Pick<pg.PoolClient, "query">;

const leadLimits = Object.fromEntries(Object.entries(PLAN_LIMITS).map(([plan, limits]) => [plan, limits.leads]));
// Core's rules, handed to the SQL rather than restated there: the status a lead moves to when it
// writes (for every status the database knows), the reply task and the job keys' prefixes.
const statusAfterInbound = Object.fromEntries(
  Object.values(LeadStatus).map((status) => [status, nextLeadStatus(status, "inbound_received")]),
);
const jobKeyPrefixes = { reply: replyJobKey(""), now: nowJobKey("") };
// Core's "Needs you" rule for a message from a known lead, for every status and pause (docs/decisions/0027).
const needsOwnerAfterInbound = JSON.stringify(
  Object.fromEntries(
    Object.values(LeadStatus).flatMap((status) =>
      [false, true].map((aiPaused) => [`${status}:${aiPaused}`, inboundNeedsOwnerReason({ status, aiPaused })]),
    ),
  ),
);
// The jobs capture queues beside the reply: each new message's facts, each new Instagram lead's profile.
// The order vendor reports move a message's delivery status in (core's rule: docs/decisions/0026).
const deliveryStatusRanks = JSON.stringify(DELIVERY_STATUS_RANK);
const backgroundJobs = {
  facts: { task: LEAD_FACTS_TASK, keyPrefix: LEAD_FACTS_JOB_KEY_PREFIX },
  instagramProfile: { task: INSTAGRAM_PROFILE_TASK, keyPrefix: INSTAGRAM_PROFILE_JOB_KEY_PREFIX },
};

/**
 * Records a verified delivery in one statement, hence one transaction and one round trip:
 * app_capture_delivery (migration 20261125213000, last 20261202010108_needs_you) routes, dedupes, upserts leads, inserts
 * messages, applies plan limits, cancels follow-ups, enqueues the debounced reply, each message's
 * facts job and each new Instagram lead's profile job, flags for the owner a paused or finished
 * lead who wrote ("Needs you"), and NOTIFYs; then app_capture_delivery_reports
 * (20261202005832) applies the vendors' delivery statuses and read receipts to the messages we sent.
 * It runs on the system path because a webhook is not yet anyone's until it is routed.
 * `via` is a client inside the caller's own transaction when it must commit together with more
 * (the Mailgun token of the same delivery: mailgun-tokens.ts).
 *
 * Failures: a transient one (connection, serialization, deadlock, shutdown, resources: see
 * database-error.ts) is thrown, so the webhook answers 5xx and the platform's retry can succeed.
 * Any other database error would fail the same way on every retry (a value core let through), so
 * the delivery is kept as "failed" webhook events instead and the summary says `refused`: the
 * webhook answers 200 and the platform stops retrying, with nothing silently lost.
 */
export async function captureDelivery(db: Db, input: CaptureInput, via: Queryable = db.pool): Promise<CaptureSummary> {
  // In the caller's transaction a failed statement would poison the rest of it (and leave its
  // half-written rows locked): a savepoint undoes just the capture.
  const inCallerTransaction = via !== db.pool;
  if (inCallerTransaction) await via.query("SAVEPOINT app_capture");
  try {
    const { rows } = await via.query<{ summary: unknown }>(
      // The reports run on capture's summary (whose accounts it routed), so after it, in one statement.
      `SELECT app_capture_delivery_reports($1::"Channel",
         app_capture_delivery($1::"Channel", $2, $3::jsonb, $4, $5::jsonb, $6, $7::jsonb, $8, $9::jsonb, $10::jsonb, $12::jsonb),
         $3::jsonb, $11::jsonb) AS summary`,
      [
        input.delivery.channel,
        input.deliveryId,
        JSON.stringify(input.delivery.groups),
        input.receivedAt,
        JSON.stringify(leadLimits),
        REPLY_DEBOUNCE_SECONDS,
        JSON.stringify(statusAfterInbound),
        FOLLOW_UP_JOBS.reply,
        JSON.stringify(jobKeyPrefixes),
        JSON.stringify(backgroundJobs),
        deliveryStatusRanks,
        needsOwnerAfterInbound,
      ],
    );
    if (inCallerTransaction) await via.query("RELEASE SAVEPOINT app_capture");
    return captureSummarySchema.parse(rows[0]?.summary);
  } catch (error) {
    if (!(error instanceof pg.DatabaseError) || isTransientDatabaseError(error)) throw error;
    if (inCallerTransaction) await via.query("ROLLBACK TO SAVEPOINT app_capture");
    return recordRefusedDelivery(db, via, input, error.code ?? "unknown");
  }
}

// One row per account; the same delivery refused again is recorded once.
const INSERT_REFUSED = `INSERT INTO webhook_events (provider, event_id, account_id, status, payload, error, received_at)
  SELECT $1, $2 || ':' || g.account_id, g.account_id, 'failed', g.raw_entries, $3, $4
  FROM jsonb_to_recordset($5::jsonb) AS g(account_id text, raw_entries jsonb)
  ON CONFLICT (provider, event_id) DO NOTHING`;

/**
 * Keeps a refused delivery as one "failed" webhook event per account: the raw entries (made
 * storable) and the SQLSTATE, never the database's message, which may quote the values. Unrouted
 * (user_id NULL): routing was part of what failed, and an operator reads these on the system path.
 * Inside a caller's transaction it is written on that transaction's connection: asking the pool
 * for a second one while the caller holds one could wait on itself once the pool is exhausted.
 */
async function recordRefusedDelivery(db: Db, via: Queryable, input: CaptureInput, sqlState: string): Promise<CaptureSummary> {
  const { channel, groups } = input.delivery;
  const rows = groups.map((group) => ({ account_id: group.accountId, raw_entries: storableJson(group.rawEntries) }));
  const params = [channel, input.deliveryId, `database refused the delivery (SQLSTATE ${sqlState})`, input.receivedAt, JSON.stringify(rows)];
  if (via === db.pool) {
    await db.asSystem((tx) => tx.$executeRawUnsafe(INSERT_REFUSED, ...params));
  } else {
    // The system flag for this statement only: the caller's transaction goes on as it was.
    const { rows: flag } = await via.query<{ system: string | null }>("SELECT current_setting('app.system', true) AS system");
    await via.query("SELECT set_config('app.system', 'on', true)");
    await via.query(INSERT_REFUSED, params);
    await via.query("SELECT set_config('app.system', $1, true)", [flag[0]?.system ?? ""]);
  }
  return {
    groups: groups.map((group) => ({ accountId: group.accountId, userId: null, outcome: "refused" as const })),
    messagesInserted: 0,
    duplicateMessages: 0,
    leadsCreated: 0,
    followUpsBlocked: 0,
    leadsOptedOut: 0,
    deliveryReportsApplied: 0,
    refused: { sqlState },
  };
}
