import { PLAN_LIMITS, type PaymentEvent } from "@audnix/core";
import type { Db } from "../client.ts";
import { Prisma, type Plan } from "../generated/prisma/client.ts";

export interface RecordPaymentEventInput {
  event: PaymentEvent;
  /** The verified webhook body, kept for audit and reconciliation. */
  payload: unknown;
  receivedAt: Date;
}

export interface RecordPaymentEventResult {
  outcome: "recorded" | "duplicate";
  /** The user the event was matched to, or null when it matches nobody (kept for later matching). */
  userId: string | null;
  /** The user's plan after this event. */
  plan: Plan | null;
}

/**
 * Stores a verified billing event once and lets the user's plan follow the latest state: the
 * plan is recomputed from every plan-stating event of the user, newest occurredAt first, so
 * events arriving out of order (Stripe guarantees no order) still end on the right plan.
 * Billing arrives before we know whose it is, so this is a system-path operation.
 */
export function recordPaymentEvent(db: Db, input: RecordPaymentEventInput): Promise<RecordPaymentEventResult> {
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
