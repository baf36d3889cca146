import {
  capLength,
  FOLLOW_UP_JOBS,
  NEEDS_OWNER_DETAIL_MAX_CHARS,
  nowJobKey,
  replyJobKey,
  stepJobKey,
  type NeedsOwner,
  type OutboundChannel,
} from "@audnix/core";
import type pg from "pg";
import { z } from "zod";
import type { Db } from "../client.ts";
import { inPoolTransaction } from "../pool-transaction.ts";
import { DeliveryStatus, LeadFactKind, LeadFactSource, type FollowUpStatus, type LeadStatus } from "../generated/prisma/enums.ts";
import { BRAND_SETTINGS_DEFAULTS, type BrandSettingsValues } from "./brand-settings.ts";

// The follow-up engine's storage. The hot path (context, begin, complete) is one SQL function call
// each, hence one round trip and one transaction (migration 20261125223946_follow_up_engine,
// docs/decisions/0011). Every function sets the tenant from the job's userId, so row-level
// security applies exactly as in db.asUser().

const channelSchema = z.enum(["instagram", "whatsapp", "email", "sandbox"]);
const date = z.coerce.date();
const metadataSchema = z.record(z.string(), z.unknown());
const deliverySchema = z.enum(DeliveryStatus);

const messageSchema = z.object({
  id: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  channel: channelSchema,
  body: z.string(),
  sentAt: date,
  providerMessageId: z.string().nullable(),
  metadata: metadataSchema,
});

const historyMessageSchema = messageSchema.extend({
  idempotencyKey: z.string().nullable(),
  /** Null for inbound messages. */
  deliveryStatus: deliverySchema.nullable(),
});

const inboundSchema = messageSchema.pick({ id: true, body: true, sentAt: true, providerMessageId: true, metadata: true });

const brandRowSchema = z.object({
  brand_name: z.string().nullable(),
  voice_rules: z.string(),
  timezone: z.string(),
  quiet_hours_start: z.string(),
  quiet_hours_end: z.string(),
  follow_up_steps_minutes: z.array(z.number()),
  delay_min_minutes: z.number(),
  delay_max_minutes: z.number(),
  voice_enabled: z.boolean(),
  disclosure_enabled: z.boolean(),
  whatsapp_template_name: z.string().nullable(),
  owner_reply_pauses_ai: z.boolean(),
});

const contextSchema = z.object({
  followUp: z
    .object({
      id: z.string(),
      leadId: z.string(),
      step: z.number(),
      channel: channelSchema,
      plannedAt: date,
      previousStatus: z.string(),
      jobKey: z.string().nullable(),
      claimed: z.boolean(),
    })
    .nullable(),
  lead: z
    .object({
      id: z.string(),
      name: z.string().nullable(),
      channel: channelSchema,
      externalId: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      status: z.enum(["new", "contacted", "replied", "converted", "opted_out", "lost"]),
      tags: z.array(z.string()),
      lastMessageAt: date.nullable(),
      createdAt: date,
      optedOutAt: date.nullable(),
      aiBlockedReason: z.enum(["plan_expired", "trial_expired", "lead_limit_reached"]).nullable(),
      /** Set while the owner has taken over (leads.ai_paused_at). */
      aiPausedAt: date.nullable(),
      /** leads.needs_owner_at: the AI told the lead the team will answer (docs/decisions/0021). */
      needsOwnerAt: date.nullable(),
    })
    .nullable(),
  facts: z.record(z.string(), z.string()).optional(),
  memoryFacts: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(LeadFactKind),
        value: z.string(),
        source: z.enum(LeadFactSource),
        messageId: z.string().nullable(),
        observedAt: date,
      }),
    )
    .optional(),
  messages: z.array(historyMessageSchema).optional(),
  lastInbound: z.record(z.string(), inboundSchema).optional(),
  lastOutbound: z.record(z.string(), date).optional(),
  stepsSent: z.number().optional(),
  brand: brandRowSchema.nullable().optional(),
  connections: z
    .array(z.object({ channel: channelSchema, externalAccountId: z.string().nullable(), settings: z.unknown() }))
    .optional(),
  account: z
    .object({
      plan: z.enum(["trial", "starter", "growth", "pro", "expired"]),
      trialExpiresAt: date.nullable(),
      leadsUsed: z.number(),
      voiceMinutesUsed: z.coerce.number(),
    })
    .nullable()
    .optional(),
});

export type FollowUpMessage = z.output<typeof historyMessageSchema>;
export type FollowUpInbound = z.output<typeof inboundSchema>;
type ContextRow = z.output<typeof contextSchema>;

export interface FollowUpContext {
  /** The step this job works on, when it is a step job; claimed=false: it was cancelled or is done. */
  followUp: NonNullable<ContextRow["followUp"]> | null;
  lead: NonNullable<ContextRow["lead"]>;
  facts: Record<string, string>;
  /** The lead's typed facts (lead_memory_facts), in kind order then oldest first. */
  memoryFacts: NonNullable<ContextRow["memoryFacts"]>;
  /** The last 12 messages, oldest first. */
  messages: FollowUpMessage[];
  lastInbound: Partial<Record<OutboundChannel, FollowUpInbound>>;
  lastOutbound: Partial<Record<OutboundChannel, Date>>;
  /** Steps sent (or failed) since the lead's last message. */
  stepsSent: number;
  /** The brand's settings, or the column defaults when the owner never saved them. */
  brand: BrandSettingsValues;
  /** Channels with status "connected" (sandbox needs none). */
  connections: { channel: OutboundChannel; externalAccountId: string | null; settings: unknown }[];
  account: NonNullable<NonNullable<ContextRow["account"]>>;
}

/**
 * Everything the policy needs about one lead, in one round trip. With `followUpId` the step is
 * also claimed (planned -> sending), so a second job for the same step finds claimed=false.
 * `reclaim` also takes a step left "sending": only for a job that is retrying after its worker died.
 * Null when the lead (or step) is gone or belongs to someone else.
 */
export async function loadFollowUpContext(
  db: Db,
  input: { userId: string; leadId?: string; followUpId?: string; reclaim?: boolean },
): Promise<FollowUpContext | null> {
  const { rows } = await db.pool.query<{ context: unknown }>(
    "SELECT app_followup_context($1::uuid, $2::uuid, $3::uuid, $4) AS context",
    [input.userId, input.leadId ?? null, input.followUpId ?? null, input.reclaim ?? false],
  );
  const row = contextSchema.parse(rows[0]?.context);
  if (!row.lead || !row.account) return null;
  return {
    followUp: row.followUp,
    lead: row.lead,
    facts: row.facts ?? {},
    memoryFacts: row.memoryFacts ?? [],
    messages: row.messages ?? [],
    lastInbound: row.lastInbound ?? {},
    lastOutbound: row.lastOutbound ?? {},
    stepsSent: row.stepsSent ?? 0,
    brand: row.brand ? brandFromRow(row.brand) : { ...BRAND_SETTINGS_DEFAULTS },
    connections: row.connections ?? [],
    account: row.account,
  };
}

function brandFromRow(row: z.output<typeof brandRowSchema>): BrandSettingsValues {
  return {
    brandName: row.brand_name,
    voiceRules: row.voice_rules,
    timezone: row.timezone,
    quietHoursStart: row.quiet_hours_start,
    quietHoursEnd: row.quiet_hours_end,
    followUpStepsMinutes: row.follow_up_steps_minutes,
    delayMinMinutes: row.delay_min_minutes,
    delayMaxMinutes: row.delay_max_minutes,
    voiceEnabled: row.voice_enabled,
    disclosureEnabled: row.disclosure_enabled,
    whatsappTemplateName: row.whatsapp_template_name,
    ownerReplyPausesAi: row.owner_reply_pauses_ai,
  };
}

/** Who sends: the AI (a reply, or follow-up step n, 1-based) or the owner from the reply box. */
export type SendAuthor = { author: "ai"; followUpStep: number | null } | { author: "owner"; followUpStep?: null };

export type BeginSendInput = SendAuthor & {
  userId: string;
  leadId: string;
  /** reply:<inbound message id> or step:<follow-up id>: the same send always has the same key. */
  idempotencyKey: string;
  channel: OutboundChannel;
  body: string;
  attachments?: unknown[];
  /** Kept on the message (mode, subject...); author, step and delivery status are their own columns. */
  metadata?: Record<string, unknown>;
  /** The message could not answer the lead: flag the lead for the owner with it (leads.needs_owner_*). */
  needsOwner?: NeedsOwner | null;
  /**
   * Runs in the recording transaction, only when this call recorded the message (not for a
   * repeat), with the tenant set: e.g. queue the job that sends it, so the record and its job commit together.
   */
  onCreated?: (client: pg.ClientBase, messageId: string) => Promise<void>;
  now: Date;
};

const beginSendSchema = z.object({
  created: z.boolean(),
  messageId: z.string(),
  delivery: deliverySchema,
  providerMessageId: z.string().nullable().optional(),
});

export type BeginSendResult = z.output<typeof beginSendSchema>;

/**
 * Records the outbound message as pending, committed before the vendor is called. `created: false`
 * means an earlier attempt already recorded this send: its delivery state says what happened.
 */
export async function beginSend(db: Db, input: BeginSendInput): Promise<BeginSendResult> {
  const beginSql =
    'SELECT app_followup_begin_send($1::uuid, $2::uuid, $3, $4::"Channel", $5::"MessageAuthor", $6::integer, $7, $8::jsonb, $9::jsonb, $10) AS result';
  const params = [
    input.userId,
    input.leadId,
    input.idempotencyKey,
    input.channel,
    input.author,
    input.followUpStep ?? null,
    input.body,
    JSON.stringify(input.attachments ?? []),
    JSON.stringify(input.metadata ?? {}),
    input.now,
  ];
  const { needsOwner, onCreated } = input;
  if (!needsOwner && !onCreated) {
    const { rows } = await db.pool.query<{ result: unknown }>(beginSql, params);
    return beginSendSchema.parse(rows[0]?.result);
  }
  // The reply saying "the team will get back to you" and the flag that makes the owner do so
  // commit together: the lead is never told someone will answer while nobody is asked to.
  // Likewise an owner's message and the job that sends it.
  return inPoolTransaction(db, async (client) => {
    const { rows } = await client.query<{ result: unknown }>(beginSql, params);
    const result = beginSendSchema.parse(rows[0]?.result);
    // Only the attempt that recorded the message flags (a retry finds it flagged, or cleared by
    // the owner since). app_followup_begin_send set the tenant for this transaction.
    if (result.created && needsOwner) {
      // The queue's one way in (docs/decisions/0027): precedence, the live event, the email alert.
      await client.query('SELECT app_flag_needs_owner($1::uuid, $2::uuid, $3::"NeedsOwnerReason", $4, $5)', [
        input.userId,
        input.leadId,
        needsOwner.reason,
        capLength(needsOwner.detail, NEEDS_OWNER_DETAIL_MAX_CHARS),
        input.now,
      ]);
    }
    if (result.created && onCreated) await onCreated(client, result.messageId);
    return result;
  });
}

/** The step that follows, or null when the sequence ends (then `endStatus`, e.g. lost, applies). */
export interface NextStepPlan {
  step: number;
  channel: OutboundChannel;
  plannedAt: Date;
}

interface SequenceContinuation {
  next: NextStepPlan | null;
  /** Lead status when the sequence ends here (null: unchanged). */
  endStatus?: LeadStatus | null;
  /** The newest inbound message this send took into account: a newer one means the lead wrote meanwhile. */
  answeredUpTo: Date | null;
  now: Date;
}

function nextJson(leadId: string, next: NextStepPlan | null): string | null {
  if (!next) return null;
  return JSON.stringify({
    step: next.step,
    channel: next.channel,
    plannedAt: next.plannedAt.toISOString(),
    jobKey: stepJobKey(leadId, next.step),
    task: FOLLOW_UP_JOBS.step,
  });
}

const continuationSchema = z.object({ nextFollowUpId: z.string().nullable() });

export interface CompleteSendInput extends SequenceContinuation {
  userId: string;
  leadId: string;
  messageId: string;
  followUpId?: string | null;
  /** The vendor's id; null when unknown (delivery "unconfirmed"). */
  providerMessageId: string | null;
  /** unconfirmed: it may have gone out; `reason` says why we cannot tell (shown on the lead). */
  delivery: { status: "sent" } | { status: "unconfirmed"; reason: string };
}

/**
 * The vendor took the message (or may have): provider id and delivery recorded, step sent, a new
 * lead becomes contacted, the next step planned with its job in the same transaction, dashboard woken.
 */
export async function completeSend(db: Db, input: CompleteSendInput): Promise<{ nextFollowUpId: string | null }> {
  const { rows } = await db.pool.query<{ result: unknown }>(
    'SELECT app_followup_complete_send($1::uuid, $2::uuid, $3, $4::"DeliveryStatus", $5, $6::uuid, $7::jsonb, $8::"LeadStatus", $9, $10) AS result',
    [
      input.userId,
      input.messageId,
      input.providerMessageId,
      input.delivery.status,
      input.delivery.status === "unconfirmed" ? input.delivery.reason : null,
      input.followUpId ?? null,
      nextJson(input.leadId, input.next),
      input.endStatus ?? null,
      input.answeredUpTo,
      input.now,
    ],
  );
  return continuationSchema.parse(rows[0]?.result);
}

export interface FailSendInput extends SequenceContinuation {
  userId: string;
  leadId: string;
  messageId: string;
  followUpId?: string | null;
  /** The adapter's classification reason (never contains a token). */
  reason: string;
}

/** A permanent refusal: logged on the lead (message, step, audit log); the sequence continues. */
export async function failSend(db: Db, input: FailSendInput): Promise<{ nextFollowUpId: string | null }> {
  const { rows } = await db.pool.query<{ result: unknown }>(
    'SELECT app_followup_fail_send($1::uuid, $2::uuid, $3::uuid, $4, $5::jsonb, $6::"LeadStatus", $7, $8) AS result',
    [
      input.userId,
      input.messageId,
      input.followUpId ?? null,
      input.reason,
      nextJson(input.leadId, input.next),
      input.endStatus ?? null,
      input.answeredUpTo,
      input.now,
    ],
  );
  return continuationSchema.parse(rows[0]?.result);
}

export interface ReleaseSendInput {
  userId: string;
  leadId: string;
  /** The pending message to forget (null: nothing was recorded yet, e.g. a step deferred for quiet hours). */
  messageId: string | null;
  followUpId?: string | null;
  /** Run the job again at this time (the vendor's Retry-After) as a fresh job under the same key. */
  retry?: { task: string; payload: unknown; jobKey: string; runAt: Date } | null;
  now: Date;
}

/**
 * An outcome proving nothing was sent (or a deferral): the pending record is deleted so the next
 * attempt sends, and the step is planned again, optionally as a fresh job at `retry.runAt`.
 */
export async function releaseSend(db: Db, input: ReleaseSendInput): Promise<void> {
  const retry = input.retry ? { ...input.retry, runAt: input.retry.runAt.toISOString() } : null;
  await db.pool.query("SELECT app_followup_release_send($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::jsonb, $6)", [
    input.userId,
    input.leadId,
    input.messageId,
    input.followUpId ?? null,
    retry ? JSON.stringify(retry) : null,
    input.now,
  ]);
}

export interface StopFollowUpsInput {
  userId: string;
  leadId: string;
  reason: string;
  /** e.g. lost when the sequence ran out, opted_out; null leaves the status alone. */
  leadStatus?: LeadStatus | null;
  /** The step the caller holds: settled with `currentStatus` and the reason. */
  currentFollowUpId?: string | null;
  currentStatus?: Extract<FollowUpStatus, "skipped" | "cancelled" | "failed">;
  /** Also remove the lead's pending reply and "follow up now" jobs. */
  includeReplyJobs?: boolean;
  now: Date;
}

/** Cancels the lead's planned steps and removes their jobs; returns how many were cancelled. */
export async function stopFollowUps(db: Db, input: StopFollowUpsInput): Promise<number> {
  const jobKeys = input.includeReplyJobs ? [replyJobKey(input.leadId), nowJobKey(input.leadId)] : [];
  const { rows } = await db.pool.query<{ cancelled: number }>(
    'SELECT app_followup_stop($1::uuid, $2::uuid, $3, $4::"LeadStatus", $5::uuid, $6::"FollowUpStatus", $7::text[], $8) AS cancelled',
    [
      input.userId,
      input.leadId,
      input.reason,
      input.leadStatus ?? null,
      input.currentFollowUpId ?? null,
      input.currentStatus ?? "skipped",
      jobKeys,
      input.now,
    ],
  );
  return rows[0]?.cancelled ?? 0;
}

/**
 * The lead opted out (the model's verdict on a message, the unsubscribe link): opted_out_at and
 * status opted_out, every planned step and pending job on every channel stopped, in one
 * transaction. Capture applies a keyword opt-out in its own transaction through the same function.
 */
export async function recordOptOut(
  db: Db,
  input: { userId: string; leadId: string; source: "message" | "unsubscribe_link" | "owner"; now: Date },
): Promise<void> {
  await db.pool.query("SELECT app_followup_opt_out($1::uuid, $2::uuid, $3, $4::text[], $5)", [
    input.userId,
    input.leadId,
    input.source,
    [replyJobKey(input.leadId), nowJobKey(input.leadId)],
    input.now,
  ]);
}

export interface PlannedStep {
  followUpId: string;
  step: number;
  channel: OutboundChannel;
  plannedAt: Date;
  reason: string | null;
}

/** The lead's next planned step (what the dashboard shows as "next follow-up"), or null. */
export async function nextPlannedStep(db: Db, input: { userId: string; leadId: string }): Promise<PlannedStep | null> {
  const row = await db.asUser(input.userId, (tx) =>
    tx.followUp.findFirst({
      where: { leadId: input.leadId, status: "planned" },
      orderBy: { plannedAt: "asc" },
      select: { id: true, step: true, channel: true, plannedAt: true, reason: true },
    }),
  );
  return row
    ? { followUpId: row.id, step: row.step, channel: row.channel, plannedAt: row.plannedAt, reason: row.reason }
    : null;
}
