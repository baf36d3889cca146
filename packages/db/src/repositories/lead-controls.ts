import {
  followUpNowVerdict,
  nowJobKey,
  replyJobKey,
  FOLLOW_UP_JOBS,
  type FollowUpNowRefusal,
  type NowJobPayload,
  type StopReason,
} from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import type { LeadStatus } from "../generated/prisma/client.ts";
import { BRAND_SETTINGS_DEFAULTS } from "./brand-settings.ts";
import { readFollowUpNowState, takeNowStep, type FollowUpNowState } from "./follow-up-now.ts";

export type LeadControlRefusal =
  | "lead_not_found"
  | "opted_out"
  | "ai_paused"
  | "waiting_for_owner"
  | "ai_blocked"
  /** "Follow up now" only: the engine would not send the step (converted, lead wrote last, sequence over). */
  | "not_sendable"
  /** "Undo" of a conversion on a lead that is not converted (undone already, or never marked). */
  | "not_converted";

const REFUSAL_MESSAGES: Record<LeadControlRefusal, string> = {
  lead_not_found: "Lead not found.",
  opted_out: "This lead opted out: no more follow-ups will be sent.",
  ai_paused: "AI is paused for this lead. Resume AI first.",
  waiting_for_owner:
    "Follow-ups wait for you: this lead needs you (the note above the conversation says why). Deal with it, then mark it as handled to resume.",
  ai_blocked: "AI follow-ups are blocked for this lead by the plan (trial ended, plan inactive or lead limit).",
  not_sendable: "This follow-up would not be sent.",
  not_converted: "This lead is not marked as converted: there is nothing to undo.",
};

/** An owner's request the lead's state does not allow; the message is safe to show as is. */
export class LeadControlError extends Error {
  override name = "LeadControlError";
  readonly reason: LeadControlRefusal;
  /** `message`: the owner-facing reason when it is more precise than the refusal's own words. */
  constructor(reason: LeadControlRefusal, message?: string) {
    super(message ?? REFUSAL_MESSAGES[reason]);
    this.reason = reason;
  }
}

const REFUSAL_OF_STOP: Record<FollowUpNowRefusal, LeadControlRefusal> = {
  opted_out: "opted_out",
  paused: "ai_paused",
  waiting_for_owner: "waiting_for_owner",
  plan_blocked: "ai_blocked",
  converted: "not_sendable",
  lead_lost: "not_sendable",
  lead_replied: "not_sendable",
  sequence_finished: "not_sendable",
};

/** Why "Follow up now" would send nothing for this lead (core's verdict, the engine's rules), or null. */
export type FollowUpNowBlock = { reason: FollowUpNowRefusal; message: string };

/**
 * Core's followUpNowVerdict over the lead's stored state, for the step "Follow up now" sends: the
 * panel shows its answer and the request obeys it, so the button, the line and the job agree.
 * The message times are the engine's (app_followup_context: latest message each way).
 */
async function followUpNowBlockOf(tx: Tx, ref: LeadRef, step: number, now: Date): Promise<FollowUpNowBlock | null> {
  const [lead, account, brand, latest] = await Promise.all([
    tx.lead.findUnique({
      where: { id: ref.leadId },
      select: { status: true, optedOutAt: true, aiBlockedReason: true, aiPausedAt: true, needsOwnerAt: true },
    }),
    tx.user.findUnique({ where: { id: ref.userId }, select: { plan: true, trialExpiresAt: true, leadsUsed: true } }),
    tx.brandSettings.findUnique({ where: { userId: ref.userId }, select: { followUpStepsMinutes: true } }),
    tx.message.groupBy({ by: ["direction"], where: { leadId: ref.leadId }, _max: { sentAt: true } }),
  ]);
  if (!lead) throw new LeadControlError("lead_not_found");
  const latestOf = (direction: "inbound" | "outbound") => latest.find((row) => row.direction === direction)?._max.sentAt ?? null;
  const verdict = followUpNowVerdict({
    lead: {
      status: lead.status,
      optedOut: lead.optedOutAt !== null,
      aiPaused: lead.aiPausedAt !== null,
      needsOwner: lead.needsOwnerAt !== null,
      blockedReason: lead.aiBlockedReason,
      lastInboundAt: latestOf("inbound"),
      lastOutboundAt: latestOf("outbound"),
    },
    account,
    step,
    maxSteps: (brand?.followUpStepsMinutes ?? BRAND_SETTINGS_DEFAULTS.followUpStepsMinutes).length,
    now,
  });
  return verdict.allowed ? null : { reason: verdict.reason, message: verdict.message };
}

/** follow_ups.reason of the steps a pause cancelled. */
export const PAUSE_REASON = "paused by owner";

interface LeadRef {
  userId: string;
  leadId: string;
}

/** The lead's control state: opt-out, the plan's refusal and the owner's pause. */
async function readLead(tx: Tx, leadId: string) {
  const lead = await tx.lead.findUnique({
    where: { id: leadId },
    select: { optedOutAt: true, aiBlockedReason: true, aiPausedAt: true, needsOwnerAt: true },
  });
  // Row-level security hides other owners' leads: "not yours" and "missing" are the same answer.
  if (!lead) throw new LeadControlError("lead_not_found");
  return lead;
}

async function audit(tx: Tx, { userId, leadId }: LeadRef, action: string, data: Record<string, unknown> = {}) {
  await tx.auditLog.create({ data: { userId, actor: "owner", action, target: leadId, data: data as object } });
}

/**
 * The owner takes over: the AI sends this lead nothing until resumed. Planned steps are cancelled
 * and their jobs removed in the same transaction, so no job queued before the pause can fire.
 */
export function pauseLeadAi(db: Db, ref: LeadRef & { now: Date }): Promise<{ cancelledSteps: number }> {
  const { userId, leadId, now } = ref;
  return db.asUser(userId, async (tx) => {
    await readLead(tx, leadId);
    // A second pause keeps the first one's time: the owner took over then.
    await tx.lead.updateMany({ where: { id: leadId, aiPausedAt: null }, data: { aiPausedAt: now } });
    // The engine's stop (migration follow_up_engine): planned steps cancelled, their jobs and any
    // pending reply or "now" job removed, the dashboard notified. The lead's status stays as it is.
    const [stopped] = await tx.$queryRaw<{ count: number }[]>`SELECT app_followup_stop(
      ${userId}::uuid, ${leadId}::uuid, ${PAUSE_REASON}, NULL, NULL, NULL,
      ${[replyJobKey(leadId), nowJobKey(leadId)]}::text[], ${now}) AS count`;
    const count = stopped?.count ?? 0;
    await audit(tx, ref, "lead.ai_paused", { cancelledSteps: count });
    return { cancelledSteps: count };
  });
}

/** follow_ups.reason of the steps cancelled because the lead converted. */
export const CONVERTED_REASON = "lead converted";

/** What the conversion was worth, in minor units of an ISO 4217 currency (core parseConversionValue). */
export interface ConversionWorth {
  valueMinor: number;
  currency: string;
}

/**
 * The owner marks the lead converted (a sale, a booking), optionally with what it was worth:
 * status converted, when, the value, and the status it had (for "Undo"); the sequence stops on
 * every channel, planned steps and pending jobs alike, in one transaction. A later message from
 * the lead is still captured, but the AI does not follow up on a converted lead. Marking a
 * converted lead again changes nothing (its first conversion stands).
 */
export function markLeadConverted(
  db: Db,
  ref: LeadRef & { now: Date; worth?: ConversionWorth | null },
): Promise<{ cancelledSteps: number; alreadyConverted: boolean }> {
  const { userId, leadId, now, worth = null } = ref;
  return db.asUser(userId, async (tx) => {
    await readLead(tx, leadId);
    await tx.$executeRaw`SELECT 1 FROM leads WHERE id = ${leadId}::uuid FOR UPDATE`;
    const { status } = await tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { status: true } });
    if (status === "converted") return { cancelledSteps: 0, alreadyConverted: true };
    await tx.lead.update({
      where: { id: leadId },
      data: {
        statusBeforeConversion: status,
        convertedAt: now,
        conversionValueMinor: worth === null ? null : BigInt(worth.valueMinor),
        conversionCurrency: worth?.currency ?? null,
      },
    });
    const [stopped] = await tx.$queryRaw<{ count: number }[]>`SELECT app_followup_stop(
      ${userId}::uuid, ${leadId}::uuid, ${CONVERTED_REASON}, 'converted'::"LeadStatus", NULL, NULL,
      ${[replyJobKey(leadId), nowJobKey(leadId)]}::text[], ${now}) AS count`;
    const count = stopped?.count ?? 0;
    // The value stays out of the audit log's free-form data: the lead row holds it, typed.
    await audit(tx, ref, "lead.converted", { cancelledSteps: count, withValue: worth !== null });
    return { cancelledSteps: count, alreadyConverted: false };
  });
}

/**
 * Undoes "Mark as converted": the lead gets back the status it had and the conversion (when, value)
 * is cleared. Follow-up steps the conversion cancelled stay cancelled: the AI answers the lead's
 * next message as usual, and "Follow up now" sends the next step at once.
 */
export function undoLeadConversion(db: Db, ref: LeadRef & { now: Date }): Promise<{ restoredStatus: LeadStatus }> {
  const { userId, leadId } = ref;
  return db.asUser(userId, async (tx) => {
    await readLead(tx, leadId);
    await tx.$executeRaw`SELECT 1 FROM leads WHERE id = ${leadId}::uuid FOR UPDATE`;
    const lead = await tx.lead.findUniqueOrThrow({ where: { id: leadId }, select: { status: true, statusBeforeConversion: true } });
    if (lead.status !== "converted") throw new LeadControlError("not_converted");
    // Converted before the status was kept (or by an import): "contacted" is what such a lead was.
    const restoredStatus = lead.statusBeforeConversion ?? "contacted";
    await tx.lead.update({
      where: { id: leadId },
      data: { status: restoredStatus, statusBeforeConversion: null, convertedAt: null, conversionValueMinor: null, conversionCurrency: null },
    });
    await audit(tx, ref, "lead.conversion_undone", { restoredStatus });
    return { restoredStatus };
  });
}

/** The lead's conversion as the panel shows it, and the currency its value field starts with. */
export interface LeadConversionView {
  conversion: { convertedAt: Date; valueMinor: number | null; currency: string | null } | null;
  /** The currency of the owner's latest conversion with a value, else core's default (USD). */
  defaultCurrency: string;
}

export function leadConversion(db: Db, ref: LeadRef & { fallbackCurrency: string }): Promise<LeadConversionView> {
  return db.asUser(ref.userId, async (tx) => {
    const [lead, latest] = await Promise.all([
      tx.lead.findUnique({ where: { id: ref.leadId }, select: { status: true, convertedAt: true, conversionValueMinor: true, conversionCurrency: true } }),
      tx.lead.findFirst({
        where: { userId: ref.userId, conversionCurrency: { not: null } },
        orderBy: { convertedAt: "desc" },
        select: { conversionCurrency: true },
      }),
    ]);
    const defaultCurrency = latest?.conversionCurrency ?? ref.fallbackCurrency;
    if (lead?.status !== "converted" || lead.convertedAt === null) return { conversion: null, defaultCurrency };
    const conversion = {
      convertedAt: lead.convertedAt,
      // Exact: values are capped well below 2^53 minor units (core parseConversionValue).
      valueMinor: lead.conversionValueMinor === null ? null : Number(lead.conversionValueMinor),
      currency: lead.conversionCurrency,
    };
    return { conversion, defaultCurrency };
  });
}

/**
 * Lifts the pause. The AI answers the lead's next message as usual; with `followUpNow` the next
 * follow-up is also queued at once (the same job as the "Follow up now" button).
 */
export function resumeLeadAi(
  db: Db,
  ref: LeadRef & { now: Date; followUpNow: boolean },
): Promise<{ followUpQueued: boolean }> {
  const { userId, leadId, now, followUpNow } = ref;
  return db.asUser(userId, async (tx) => {
    await readLead(tx, leadId);
    await tx.lead.update({ where: { id: leadId }, data: { aiPausedAt: null } });
    await audit(tx, ref, "lead.ai_resumed", { followUpNow });
    const queued = followUpNow ? await enqueueFollowUpNow(tx, ref, now) : null;
    return { followUpQueued: queued?.outcome === "queued" };
  });
}

/**
 * follow_ups.reason of a step the engine held because the lead waited for the owner: the stop
 * reason itself (the engine's settleStop writes it), typed so the two cannot drift apart.
 */
export const WAITING_FOR_OWNER_REASON: StopReason = "waiting_for_owner";

/**
 * After "Mark as handled" (the flag already cleared in this transaction): when the last thing the
 * sequence did was hold a step for the owner and nothing is planned since, that step goes out at
 * once, through "Follow up now"'s path, as "Resume AI" does. False when there is nothing to resume
 * (the step had not come due, or the lead wrote and the reply planned the next one) or the lead's
 * state refuses it (paused, opted out, blocked by the plan): the flag is cleared either way.
 */
export async function resumeStepHeldForOwner(tx: Tx, ref: LeadRef, now: Date): Promise<boolean> {
  const [last, active, lead] = await Promise.all([
    // The engine's stop cancels the other planned steps at the same instant: the held step is the
    // latest row that was not cancelled.
    tx.followUp.findFirst({
      where: { leadId: ref.leadId, status: { not: "cancelled" } },
      orderBy: [{ updatedAt: "desc" }, { createdAt: "desc" }],
      select: { status: true, reason: true },
    }),
    tx.followUp.count({ where: { leadId: ref.leadId, status: { in: ["planned", "sending"] } } }),
    tx.lead.findUnique({ where: { id: ref.leadId }, select: { status: true } }),
  ]);
  if (active > 0 || last?.status !== "skipped" || last.reason !== WAITING_FOR_OWNER_REASON) return false;
  // A lead who converted since gets no follow-up ("Follow up now" is not offered for them either).
  if (lead?.status === "converted") return false;
  try {
    return (await enqueueFollowUpNow(tx, ref, now)).outcome === "queued";
  } catch (error) {
    // Every refusal is raised before enqueueFollowUpNow writes anything, so the transaction is intact.
    if (error instanceof LeadControlError) return false;
    throw error;
  }
}

/** What a "Follow up now" request did: queued it, or nothing, because the step is already handled. */
export type FollowUpNowResult =
  | { outcome: "queued"; step: number }
  /** A step is already on its way (marked by an earlier request, or being sent). */
  | { outcome: "already_pending"; step: number }
  /** The step the owner asked for (`expectedStep`) went out meanwhile. */
  | { outcome: "already_sent"; step: number };

/**
 * "Follow up now", idempotent per lead and step: the step is marked and its `followup:now` job
 * queued in one transaction (the lead row locked, so two requests at once are serialized). A
 * second request while one is on its way, or for the step (`expectedStep`, the one the page
 * showed) that has gone out meanwhile, is a no-op.
 */
export function requestFollowUpNow(db: Db, ref: LeadRef & { now: Date; expectedStep?: number }): Promise<FollowUpNowResult> {
  return db.asUser(ref.userId, (tx) => enqueueFollowUpNow(tx, ref, ref.now, ref.expectedStep));
}

/**
 * The lead page's view of the button: the step it sends, whether one is already on its way (then
 * `pendingDueAt`: when it was asked for), and why pressing it would send nothing (`block`).
 */
export function followUpNowState(
  db: Db,
  ref: LeadRef & { now: Date },
): Promise<FollowUpNowState & { pendingDueAt: Date | null; block: FollowUpNowBlock | null }> {
  return db.asUser(ref.userId, async (tx) => {
    const { step, pending, pendingDueAt } = await readFollowUpNowState(tx, ref.leadId);
    return { step, pending, pendingDueAt, block: await followUpNowBlockOf(tx, ref, step, ref.now) };
  });
}

async function enqueueFollowUpNow(tx: Tx, ref: LeadRef, now: Date, expectedStep?: number): Promise<FollowUpNowResult> {
  const { userId, leadId } = ref;
  // The engine's own rules for the step this sends (a converted lead, an unanswered message, a
  // finished sequence, an ended plan): refused up front with the reason the panel shows.
  const block = await followUpNowBlockOf(tx, ref, (await readFollowUpNowState(tx, leadId)).step, now);
  if (block) throw new LeadControlError(REFUSAL_OF_STOP[block.reason], block.message);

  await tx.$executeRaw`SELECT 1 FROM leads WHERE id = ${leadId}::uuid FOR UPDATE`;
  const state = await readFollowUpNowState(tx, leadId);
  if (state.pending) return { outcome: "already_pending", step: state.step };
  // The page showed step N, and N went out since (the button pressed again before the page
  // caught up): that request is done. A page showing a later step asks for a new send.
  if (expectedStep !== undefined && expectedStep === state.lastSentStep && expectedStep < state.step) {
    return { outcome: "already_sent", step: expectedStep };
  }
  const step = await takeNowStep(tx, { userId, leadId, now });
  const payload: NowJobPayload = { leadId, userId };
  await tx.$executeRaw`SELECT graphile_worker.add_job(
    ${FOLLOW_UP_JOBS.now}, ${JSON.stringify(payload)}::json,
    job_key := ${nowJobKey(leadId)}, job_key_mode := 'replace')`;
  await audit(tx, ref, "lead.follow_up_now", { step: step.step });
  return { outcome: "queued", step: step.step };
}
