import { randomUUID } from "node:crypto";
import { checkInboundEvent, storableJson, type ParsedDelivery, type UncheckedMessageEvent } from "@audnix/core";
import { captureDelivery } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { SimulateInboundInput } from "./simulate-inbound.schema.ts";

/** The same person (by name) keeps writing into the same sandbox conversation. */
function sandboxExternalId(name: string): string {
  return `sandbox:${name.trim().toLowerCase().replace(/\s+/g, "-")}`;
}

/**
 * A message "from" a made-up person, captured by exactly the code real webhooks go through, so
 * an owner can watch a lead appear (and a follow-up get planned) before connecting any channel.
 */
export async function simulateInboundHandler({ ctx, input }: { ctx: ProtectedContext; input: SimulateInboundInput }) {
  const sentAt = ctx.now();
  const providerMessageId = randomUUID();
  const externalId = sandboxExternalId(input.name);
  const event: UncheckedMessageEvent = {
    kind: "message",
    // Sandbox deliveries are addressed to the owner directly: the account id is the user id.
    accountId: ctx.userId,
    providerMessageId,
    sender: { externalId, name: input.name, email: null, phone: null },
    text: input.text,
    attachments: [],
    sentAt,
    thread: null,
  };
  // The same check as every webhook's parser: text made storable, a STOP marked for capture.
  const checked = checkInboundEvent(event, sentAt);
  if (!checked.ok) throw new TRPCError({ code: "BAD_REQUEST", message: `The simulated message cannot be stored (${checked.reason}).` });
  const delivery: ParsedDelivery = {
    channel: input.channel,
    groups: [{ accountId: ctx.userId, rawEntries: [storableJson({ simulated: true, name: input.name, text: input.text })], events: [checked.event] }],
    rejected: [],
  };
  const summary = await captureDelivery(ctx.db, { delivery, deliveryId: `sandbox:${providerMessageId}`, receivedAt: sentAt });

  const lead = await ctx.db.asUser(ctx.userId, (tx) =>
    tx.lead.findUnique({
      where: { userId_channel_externalId: { userId: ctx.userId, channel: input.channel, externalId } },
      select: { id: true },
    }),
  );
  if (!lead) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "The simulated message was not captured." });
  return { leadId: lead.id, leadCreated: summary.leadsCreated > 0 };
}
