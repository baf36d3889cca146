import { LIVE_EVENTS_CHANNEL } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { UpdateLeadInput } from "./update.schema.ts";

type Field = "name" | "email" | "phone" | "tags" | "notes";
const FIELDS: readonly Field[] = ["name", "email", "phone", "tags", "notes"];

/**
 * The owner's edit of a lead's details. The owner's email and phone win over lead memory: facts
 * fill leads.email / leads.phone only while they are empty (docs/decisions/0022), so what the
 * owner typed stays. The audit row names the fields changed, never their values (personal data).
 * Returns the fields that changed; none when the form was saved as it was.
 */
export async function updateLeadHandler({ ctx, input }: { ctx: ProtectedContext; input: UpdateLeadInput }) {
  const { leadId, ...details } = input;
  const changed = await ctx.db.asUser(ctx.userId, async (tx) => {
    const before = await tx.lead.findUnique({ where: { id: leadId }, select: { name: true, email: true, phone: true, tags: true, notes: true } });
    if (!before) return null;
    const fields = FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(details[field]));
    if (fields.length === 0) return fields;
    await tx.lead.update({ where: { id: leadId }, data: details });
    await tx.auditLog.create({ data: { userId: ctx.userId, actor: "owner", action: "lead.updated", target: leadId, data: { fields } } });
    // Other open tabs of this lead reload (the live stream's lead.updated).
    await tx.$executeRaw`SELECT pg_notify(${LIVE_EVENTS_CHANNEL}, ${JSON.stringify({ userId: ctx.userId, type: "lead.updated", leadId })})`;
    return fields;
  });
  // Row-level security hides other owners' leads: "not yours" and "missing" are the same answer.
  if (changed === null) throw new TRPCError({ code: "NOT_FOUND", message: "Lead not found." });
  return { updated: changed };
}
