import {
  checkFactValue,
  MULTI_VALUED_FACT_KINDS,
  planFactWrites,
  type LeadFactKind,
  type LeadFactSource,
  type SourcedFact,
} from "@audnix/core";
import type { Db, Tx } from "../client.ts";
import { LIVE_EVENTS_CHANNEL } from "../live-events.ts";

// Lead memory: the typed facts a lead's messages (or the owner) gave us (docs/decisions/0022).
// Extraction is idempotent per message (messages.facts_extracted_at, set in the transaction
// that writes the facts), so the facts job and the reply job may both try and only one writes.

export interface LeadMemoryFactRow {
  id: string;
  kind: LeadFactKind;
  value: string;
  source: LeadFactSource;
  messageId: string | null;
  observedAt: Date;
  /** When the message it came from was sent; null for the owner's entries (or a deleted message). */
  messageSentAt: Date | null;
}

/** A lead's fact the owner asked about does not exist (or is not theirs); the message is safe to show. */
export class LeadFactNotFoundError extends Error {
  override name = "LeadFactNotFoundError";
  constructor(what: "lead" | "fact") {
    super(what === "lead" ? "Lead not found." : "This fact no longer exists.");
  }
}

/** The owner's value does not fit the fact's kind; the message says why, in words safe to show. */
export class LeadFactValueError extends Error {
  override name = "LeadFactValueError";
}

const FACT_SELECT = {
  id: true,
  kind: true,
  value: true,
  source: true,
  messageId: true,
  observedAt: true,
  message: { select: { sentAt: true } },
} as const;

type FactWithMessage = {
  id: string;
  kind: LeadFactKind;
  value: string;
  source: LeadFactSource;
  messageId: string | null;
  observedAt: Date;
  message: { sentAt: Date } | null;
};

function toRow({ message, ...fact }: FactWithMessage): LeadMemoryFactRow {
  return { ...fact, messageSentAt: message?.sentAt ?? null };
}

/** The lead's facts, in kind order (the enum's) then oldest first; null when the lead is not the caller's. */
export function listLeadMemoryFacts(db: Db, ref: { userId: string; leadId: string }): Promise<LeadMemoryFactRow[] | null> {
  return db.asUser(ref.userId, async (tx) => {
    const lead = await tx.lead.findUnique({ where: { id: ref.leadId }, select: { id: true } });
    if (!lead) return null;
    const facts = await tx.leadMemoryFact.findMany({
      where: { leadId: ref.leadId },
      // Oldest first; facts said in one message (or entered at one instant) in the order they were stored.
      orderBy: [{ kind: "asc" }, { observedAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      select: FACT_SELECT,
    });
    return facts.map(toRow);
  });
}

async function audit(tx: Tx, userId: string, actor: string, action: string, leadId: string, data: Record<string, unknown>) {
  await tx.auditLog.create({ data: { userId, actor, action, target: leadId, data: data as object } });
}

type ContactField = "email" | "phone";

/**
 * An email or phone the lead (or the owner) gave fills the lead's own field when it is empty, so
 * escalation to email or WhatsApp becomes possible. A field that holds another value is kept: the
 * fact is stored beside it and the audit log says so. `replacing`: the owner corrects the value
 * the field was filled from, which then follows the correction.
 */
async function fillContactField(
  tx: Tx,
  input: { userId: string; leadId: string; kind: ContactField; value: string; actor: string; messageId: string | null; replacing?: string },
): Promise<boolean> {
  const lead = await tx.lead.findUnique({ where: { id: input.leadId }, select: { email: true, phone: true } });
  if (!lead) return false;
  const current = lead[input.kind];
  // WhatsApp stores the number as its digits ("4915112345678"), facts in E.164: the same number.
  const digits = (text: string) => text.replace(/\D/g, "");
  const matches = (a: string, b: string) => (input.kind === "phone" ? digits(a) === digits(b) : a === b);
  if (current !== null && matches(current, input.value)) return false;
  const data = { field: input.kind, messageId: input.messageId };
  if (current === null || (input.replacing !== undefined && matches(current, input.replacing))) {
    await tx.lead.update({ where: { id: input.leadId }, data: { [input.kind]: input.value } });
    await audit(tx, input.userId, input.actor, `lead.${input.kind}_filled`, input.leadId, data);
    return true;
  }
  await audit(tx, input.userId, input.actor, `lead.${input.kind}_kept`, input.leadId, data);
  return false;
}

const isContact = (kind: LeadFactKind): kind is ContactField => kind === "email" || kind === "phone";

/** An inbound message whose facts are not extracted yet. */
export interface FactMessage {
  id: string;
  leadId: string;
  body: string;
  sentAt: Date;
  /** The plan refused the lead (leads.ai_blocked_reason): no model tokens are spent on it, the rules still read it. */
  leadBlocked: boolean;
}

const FACT_MESSAGE_SELECT = { id: true, leadId: true, body: true, sentAt: true, lead: { select: { aiBlockedReason: true } } } as const;

function toFactMessage({ lead, ...message }: { id: string; leadId: string; body: string; sentAt: Date; lead: { aiBlockedReason: string | null } }): FactMessage {
  return { ...message, leadBlocked: lead.aiBlockedReason !== null };
}

/**
 * The lead's newest inbound messages not yet read for facts (at most `limit`), oldest of them
 * first, so a later value replaces an earlier one: the reply job extracts them before it drafts,
 * so the draft sees what the message it answers says.
 */
export async function unextractedFactMessages(db: Db, ref: { userId: string; leadId: string; limit: number }): Promise<FactMessage[]> {
  const messages = await db.asUser(ref.userId, (tx) =>
    tx.message.findMany({
      where: { leadId: ref.leadId, direction: "inbound", factsExtractedAt: null },
      orderBy: [{ sentAt: "desc" }, { id: "desc" }],
      take: ref.limit,
      select: FACT_MESSAGE_SELECT,
    }),
  );
  return messages.reverse().map(toFactMessage);
}

/** One inbound message to read for facts, or null when it is gone, not the lead's, outbound or already read. */
export async function factMessage(db: Db, ref: { userId: string; leadId: string; messageId: string }): Promise<FactMessage | null> {
  const message = await db.asUser(ref.userId, (tx) =>
    tx.message.findFirst({
      where: { id: ref.messageId, leadId: ref.leadId, direction: "inbound", factsExtractedAt: null },
      select: FACT_MESSAGE_SELECT,
    }),
  );
  return message ? toFactMessage(message) : null;
}

export type SaveFactsResult =
  | { outcome: "saved"; added: number; replaced: number; filled: ContactField[] }
  /** Another run read this message first (or it is gone): nothing written. */
  | { outcome: "already_done" };

/**
 * Stores one message's facts, once: the message row is locked and marked read in the same
 * transaction, so concurrent runs (the facts job and the reply job) write them once. Core's
 * planFactWrites decides what is added and replaced (the owner's entries win).
 */
export function saveExtractedFacts(
  db: Db,
  input: { userId: string; message: FactMessage; facts: readonly SourcedFact[]; now: Date },
): Promise<SaveFactsResult> {
  const { userId, message, facts, now } = input;
  return db.asUser(userId, async (tx) => {
    const [locked] = await tx.$queryRaw<{ extracted: boolean }[]>`
      SELECT facts_extracted_at IS NOT NULL AS extracted FROM messages
       WHERE id = ${message.id}::uuid AND lead_id = ${message.leadId}::uuid FOR UPDATE`;
    if (!locked || locked.extracted) return { outcome: "already_done" };
    // One writer per lead at a time, so two messages' single-valued facts cannot both be added.
    await tx.$executeRaw`SELECT 1 FROM leads WHERE id = ${message.leadId}::uuid FOR UPDATE`;
    const known = await tx.leadMemoryFact.findMany({
      where: { leadId: message.leadId },
      select: { id: true, kind: true, value: true, source: true, observedAt: true },
    });
    const plan = planFactWrites(known, facts, message.sentAt);
    const sourceOf = (kind: LeadFactKind, value: string) =>
      facts.find((fact) => fact.kind === kind && fact.value === value)?.source ?? "rules";
    for (const replacement of plan.replace) {
      const old = known.find((fact) => fact.id === replacement.factId);
      if (!old) continue;
      await tx.leadMemoryFact.update({
        where: { id: replacement.factId },
        data: { value: replacement.value, source: sourceOf(old.kind, replacement.value), messageId: message.id, observedAt: message.sentAt },
      });
    }
    if (plan.add.length > 0) {
      await tx.leadMemoryFact.createMany({
        data: plan.add.map((fact) => ({
          userId,
          leadId: message.leadId,
          kind: fact.kind,
          value: fact.value,
          source: sourceOf(fact.kind, fact.value),
          messageId: message.id,
          observedAt: message.sentAt,
        })),
        skipDuplicates: true,
      });
    }
    const filled: ContactField[] = [];
    for (const fact of facts) {
      if (!isContact(fact.kind) || filled.includes(fact.kind)) continue;
      const actor = fact.source === "model" ? "lead memory (model)" : "lead memory (rules)";
      if (await fillContactField(tx, { userId, leadId: message.leadId, kind: fact.kind, value: fact.value, actor, messageId: message.id })) {
        filled.push(fact.kind);
      }
    }
    await tx.message.update({ where: { id: message.id }, data: { factsExtractedAt: now } });
    if (plan.add.length + plan.replace.length + filled.length > 0) {
      // An open lead page reloads its facts (delivered at commit, like capture's events).
      const event = JSON.stringify({ userId, type: "lead.updated", leadId: message.leadId });
      await tx.$executeRaw`SELECT pg_notify(${LIVE_EVENTS_CHANNEL}, ${event})`;
    }
    return { outcome: "saved", added: plan.add.length, replaced: plan.replace.length, filled };
  });
}

/**
 * The owner adds a fact. A single-valued kind's other value is replaced (the owner's word wins);
 * the same value again only becomes the owner's. An email or phone fills the lead's empty field.
 */
export function addOwnerFact(
  db: Db,
  input: { userId: string; leadId: string; kind: LeadFactKind; value: string; now: Date },
): Promise<LeadMemoryFactRow> {
  const { userId, leadId, kind, value, now } = input;
  return db.asUser(userId, async (tx) => {
    const lead = await tx.lead.findUnique({ where: { id: leadId }, select: { id: true } });
    if (!lead) throw new LeadFactNotFoundError("lead");
    await tx.$executeRaw`SELECT 1 FROM leads WHERE id = ${leadId}::uuid FOR UPDATE`;
    if (!MULTI_VALUED_FACT_KINDS.has(kind)) {
      await tx.leadMemoryFact.deleteMany({ where: { leadId, kind, NOT: { value } } });
    }
    const fact = await tx.leadMemoryFact.upsert({
      where: { leadId_kind_value: { leadId, kind, value } },
      create: { userId, leadId, kind, value, source: "owner", observedAt: now },
      update: { source: "owner" },
      select: FACT_SELECT,
    });
    if (isContact(kind)) await fillContactField(tx, { userId, leadId, kind, value, actor: "owner", messageId: null });
    await audit(tx, userId, "owner", "lead.fact_added", leadId, { kind });
    return toRow(fact);
  });
}

/** The owner corrects a fact's value (checked for its kind): it becomes the owner's, and automatic extraction no longer replaces it. */
export function updateOwnerFact(db: Db, input: { userId: string; factId: string; value: string; now: Date }): Promise<LeadMemoryFactRow> {
  const { userId, factId } = input;
  return db.asUser(userId, async (tx) => {
    const fact = await tx.leadMemoryFact.findUnique({ where: { id: factId }, select: { leadId: true, kind: true, value: true } });
    if (!fact) throw new LeadFactNotFoundError("fact");
    const checked = checkFactValue(fact.kind, input.value);
    if (!checked.ok) throw new LeadFactValueError(checked.message);
    const value = checked.value;
    await tx.$executeRaw`SELECT 1 FROM leads WHERE id = ${fact.leadId}::uuid FOR UPDATE`;
    // The corrected value may already be known as another row of the kind: one row stays.
    await tx.leadMemoryFact.deleteMany({ where: { leadId: fact.leadId, kind: fact.kind, value, NOT: { id: factId } } });
    const updated = await tx.leadMemoryFact.update({ where: { id: factId }, data: { value, source: "owner", observedAt: input.now }, select: FACT_SELECT });
    if (isContact(fact.kind)) {
      await fillContactField(tx, { userId, leadId: fact.leadId, kind: fact.kind, value, actor: "owner", messageId: null, replacing: fact.value });
    }
    await audit(tx, userId, "owner", "lead.fact_corrected", fact.leadId, { kind: fact.kind, factId });
    return toRow(updated);
  });
}

/** The owner deletes a fact. The lead's email or phone field keeps what it holds: deleting a note is not deleting an address. */
export function removeLeadFact(db: Db, input: { userId: string; factId: string }): Promise<void> {
  return db.asUser(input.userId, async (tx) => {
    const fact = await tx.leadMemoryFact.findUnique({ where: { id: input.factId }, select: { leadId: true, kind: true } });
    if (!fact) throw new LeadFactNotFoundError("fact");
    await tx.leadMemoryFact.delete({ where: { id: input.factId } });
    await audit(tx, input.userId, "owner", "lead.fact_removed", fact.leadId, { kind: fact.kind, factId: input.factId });
  });
}
