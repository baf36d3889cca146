import { createHash } from "node:crypto";
import { PLAN_LIMITS, storableJson, type PaymentEvent, type PaymentProvider } from "@audnix/core";
import type { Db } from "../client.ts";
import { Prisma, type Plan } from "../generated/prisma/client.ts";
import { lastingRefusalSqlState } from "./database-error.ts";

export interface RecordPaymentEventInput {
  event: PaymentEvent;
  /** The verified webhook body, kept for audit and reconciliation. */
  payload: unknown;
  receivedAt: Date;
}

export type RecordPaymentEventResult =
  | {
      outcome: "recorded" | "duplicate";
      /** The user the event was matched to, or null when it matches nobody (kept for later matching). */
      userId: string | null;
      /** The user's plan after this event. */
      plan: Plan | null;
    }
  | {
      /** The database refused the event for good (its SQLSTATE): it is kept as a failed webhook event. */
      outcome: "refused";
      sqlState: string;
      userId: null;
      plan: null;
    };

/**
 * Stores a verified billing event once and lets the user's plan follow the latest state: the
 * plan is recomputed from every plan-stating event of the user, newest occurredAt first, so
 * events arriving out of order (Stripe guarantees no order) still end on the right plan.
 * Billing arrives before we know whose it is, so this is a system-path operation.
 *
 * Throws only when a retry can help (connection lost, transient SQLSTATE): the webhook answers 5xx
 * and the provider retries. A refusal that would repeat on every retry is kept as a failed webhook
 * event instead (a backstop: checkPaymentEvent and storableJson keep such values out).
 */
export async function recordPaymentEvent(db: Db, input: RecordPaymentEventInput): Promise<RecordPaymentEventResult> {
  const payload = storableJson(input.payload);
  try {
    return await applyPaymentEvent(db, { ...input, payload });
  } catch (error) {
    const sqlState = lastingRefusalSqlState(error);
    if (sqlState === null) throw error;
    const { provider } = input.event;
    // Never the database's message: it can quote the values.
    await keepRefused(db, { provider, payload, reason: `database refused the payment event (SQLSTATE ${sqlState})`, receivedAt: input.receivedAt });
    return { outcome: "refused", sqlState, userId: null, plan: null };
  }
}

export interface RecordRefusedPaymentEventInput {
  provider: PaymentProvider;
  /** The verified webhook body, kept (made storable) so an operator can see what was refused. */
  payload: unknown;
  /** Why the event cannot be applied: a field and a problem, never a value. */
  reason: string;
  receivedAt: Date;
}

/**
 * Keeps a verified payment event that cannot be applied (checkPaymentEvent refused it) as a
 * "failed" webhook event, once per body: the provider's retries of the same body add nothing.
 */
export function recordRefusedPaymentEvent(db: Db, input: RecordRefusedPaymentEventInput): Promise<void> {
  return keepRefused(db, { ...input, payload: storableJson(input.payload) });
}

async function keepRefused(db: Db, input: RecordRefusedPaymentEventInput): Promise<void> {
  const serialized = JSON.stringify(input.payload);
  // The event id may be what is wrong with the event; the body's hash names it either way.
  const eventId = `sha256:${createHash("sha256").update(serialized).digest("hex")}`;
  await db.asSystem((tx) =>
    tx.webhookEvent.createMany({
      data: {
        provider: input.provider,
        eventId,
        status: "failed",
        payload: input.payload as Prisma.InputJsonValue,
        error: input.reason,
        receivedAt: input.receivedAt,
      },
      skipDuplicates: true,
    }),
  );
}

function applyPaymentEvent(db: Db, input: RecordPaymentEventInput): Promise<RecordPaymentEventResult> {
  const { event } = input;
  return db.asSystem(async (tx) => {
    const userId = await matchUser(tx, event);
    // One billing change per user at a time: the recompute below must see every committed event.
    if (userId) await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`;

    const inserted = await tx.paymentEvent.createMany({
      data: {
        userId,
        provider: event.provider,
        eventId: event.eventId,
        eventName: event.eventName,
        objectId: event.objectId,
        customerId: event.customerId,
        planState: event.planState,
        amountCents: event.amountCents,
        currency: event.currency,
        occurredAt: event.occurredAt,
        payload: input.payload as Prisma.InputJsonValue,
        createdAt: input.receivedAt,
      },
      skipDuplicates: true,
    });
    if (inserted.count === 0) return { outcome: "duplicate", userId, plan: null };
    if (!userId) return { outcome: "recorded", userId: null, plan: null };

    // Events of this customer that arrived before we could tell whose they were.
    if (event.customerId) {
      await tx.paymentEvent.updateMany({
        where: { provider: event.provider, customerId: event.customerId, userId: null },
        data: { userId },
      });
    }
    const latest = await tx.paymentEvent.findFirst({
      where: { userId, planState: { not: null } },
      orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
      select: { planState: true },
    });
    const user = latest?.planState
      ? await tx.user.update({ where: { id: userId }, data: { plan: latest.planState }, select: { plan: true } })
      : await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { plan: true } });
    return { outcome: "recorded", userId, plan: user.plan };
  });
}

async function matchUser(tx: Prisma.TransactionClient, event: PaymentEvent): Promise<string | null> {
  if (event.userId) {
    const user = await tx.user.findUnique({ where: { id: event.userId }, select: { id: true } });
    if (user) return user.id;
  }
  if (!event.customerId) return null;
  const earlier = await tx.paymentEvent.findFirst({
    where: { provider: event.provider, customerId: event.customerId, userId: { not: null } },
    select: { userId: true },
  });
  return earlier?.userId ?? null;
}

export interface BillingOverview {
  plan: Plan;
  leadsUsed: number;
  leadLimit: number;
  voiceMinutesUsed: number;
  voiceMinuteLimit: number;
  trialExpiresAt: Date | null;
  history: {
    id: string;
    provider: "stripe" | "lemonsqueezy";
    eventName: string;
    amountCents: number | null;
    currency: string | null;
    occurredAt: Date;
  }[];
}

const HISTORY_LENGTH = 50;

/** The owner's plan, usage against its limits, and billing history (newest first). */
export function billingOverview(db: Db, userId: string): Promise<BillingOverview> {
  return db.asUser(userId, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    const history = await tx.paymentEvent.findMany({
      orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
      take: HISTORY_LENGTH,
      select: { id: true, provider: true, eventName: true, amountCents: true, currency: true, occurredAt: true },
    });
    const limits = PLAN_LIMITS[user.plan];
    return {
      plan: user.plan,
      leadsUsed: user.leadsUsed,
      leadLimit: limits.leads,
      voiceMinutesUsed: user.voiceMinutesUsed.toNumber(),
      voiceMinuteLimit: limits.voiceMinutes,
      trialExpiresAt: user.trialExpiresAt,
      history,
    };
  });
}

/**
 * Takes `minutes` of voice from the user's plan if they fit, in one conditional UPDATE: the row
 * lock serializes concurrent voice notes, so the plan's limit holds exactly. Returns whether they
 * were granted. An expired plan or trial grants nothing.
 */
export async function consumeVoiceMinutes(db: Db, input: { userId: string; minutes: number; now: Date }): Promise<boolean> {
  const limits = Prisma.sql`(CASE plan ${Prisma.join(
    Object.entries(PLAN_LIMITS).map(([plan, limit]) => Prisma.sql`WHEN ${plan}::"Plan" THEN ${limit.voiceMinutes}::numeric`),
    " ",
  )} END)`;
  const granted = await db.asUser(
    input.userId,
    (tx) => tx.$executeRaw`
      UPDATE users SET voice_minutes_used = voice_minutes_used + ${input.minutes}::numeric
      WHERE id = ${input.userId}::uuid
        AND plan <> 'expired'
        AND NOT (plan = 'trial' AND trial_expires_at IS NOT NULL AND trial_expires_at <= ${input.now})
        AND voice_minutes_used + ${input.minutes}::numeric <= ${limits}`,
  );
  return granted === 1;
}
