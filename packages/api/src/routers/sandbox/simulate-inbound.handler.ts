import { randomUUID } from "node:crypto";
import { checkInboundEvent, sandboxConnectionState, simulatedSender, storableJson, type ParsedDelivery, type UncheckedMessageEvent } from "@audnix/core";
import { captureDelivery, listConnections } from "@audnix/db";
import { TRPCError } from "@trpc/server";
import type { ProtectedContext } from "../../trpc.ts";
import type { SimulateInboundInput } from "./simulate-inbound.schema.ts";

/**
 * Where the simulated message is addressed: the sandbox's is the owner, a channel's is its
 * connection's account (as its webhook would address it), so the AI's reply goes out through that
 * channel's adapter to the local fake. Real connections are refused: their leads are real people.
 */
async function simulatedAccountId(ctx: ProtectedContext, channel: SimulateInboundInput["channel"]): Promise<string> {
  if (channel === "sandbox") return ctx.userId;
  const connection = (await listConnections(ctx.db, { userId: ctx.userId })).find((row) => row.channel === channel);
  if (
    !connection ||
    connection.status !== "connected" ||
    !connection.externalAccountId ||
    sandboxConnectionState(connection.sandboxRunId, ctx.sandboxRunId) !== "current"
  ) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Only the sandbox and channels connected to this run's local fakes can be simulated." });
  }
  return connection.externalAccountId;
}

/**
 * A message "from" a made-up person, captured by exactly the code real webhooks go through, so
 * an owner can watch a lead appear (and a follow-up get planned) before connecting any channel.
 */
export async function simulateInboundHandler({ ctx, input }: { ctx: ProtectedContext; input: SimulateInboundInput }) {
  const accountId = await simulatedAccountId(ctx, input.channel);
  const sentAt = ctx.now();
  const providerMessageId = randomUUID();
  const { sender, thread } = simulatedSender(input.channel, input.name);
  const event: UncheckedMessageEvent = {
    kind: "message",
    accountId,
    providerMessageId,
    sender,
    text: input.text,
    attachments: [],
    sentAt,
    thread,
  };
  // The same check as every webhook's parser: text made storable, a STOP marked for capture.
  const checked = checkInboundEvent(event, sentAt);
  if (!checked.ok) throw new TRPCError({ code: "BAD_REQUEST", message: `The simulated message cannot be stored (${checked.reason}).` });
  const delivery: ParsedDelivery = {
    channel: input.channel,
    groups: [{ accountId, rawEntries: [storableJson({ simulated: true, name: input.name, text: input.text })], events: [checked.event] }],
    rejected: [],
  };
  const summary = await captureDelivery(ctx.db, { delivery, deliveryId: `sandbox:${providerMessageId}`, receivedAt: sentAt });

  const lead = await ctx.db.asUser(ctx.userId, (tx) =>
    tx.lead.findUnique({
      where: { userId_channel_externalId: { userId: ctx.userId, channel: input.channel, externalId: sender.externalId } },
      select: { id: true },
    }),
  );
  if (!lead) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "The simulated message was not captured." });
  return { leadId: lead.id, leadCreated: summary.leadsCreated > 0 };
}
