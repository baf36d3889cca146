import type { OutboundChannel } from "@audnix/core";
import type { FollowUpContext } from "./follow-ups.ts";

// Where a lead can be reached, read from the follow-up context: shared by the engine (apps/jobs),
// the owner's reply box and its send job, so "reachable" means the same thing everywhere.

const ALL_CHANNELS: readonly OutboundChannel[] = ["instagram", "whatsapp", "email", "sandbox"];

/** The lead's address on `channel`, or null when we cannot reach them there. */
export function recipientOn(context: FollowUpContext, channel: OutboundChannel): string | null {
  const { lead } = context;
  if (lead.channel === channel) return lead.externalId;
  if (channel === "email") return lead.email;
  if (channel === "whatsapp") return lead.phone ? lead.phone.replace(/[^\d]/g, "") || null : null;
  return null;
}

/** Every channel the lead has an address on. */
export function reachableChannels(context: FollowUpContext): OutboundChannel[] {
  return ALL_CHANNELS.filter((channel) => recipientOn(context, channel) !== null);
}

/** When the lead last wrote on each channel (null: never). */
export function lastInboundByChannel(context: FollowUpContext): Record<OutboundChannel, Date | null> {
  return Object.fromEntries(ALL_CHANNELS.map((channel) => [channel, context.lastInbound[channel]?.sentAt ?? null])) as Record<OutboundChannel, Date | null>;
}

export function connectedChannels(context: FollowUpContext): OutboundChannel[] {
  return context.connections.map((connection) => connection.channel);
}

/** The email thread of the lead's latest email: subject and the ids a reply must reference. */
export function emailThread(context: FollowUpContext): { subject: string | null; inReplyTo?: string; references: string[] } {
  const inbound = context.lastInbound.email;
  if (!inbound) return { subject: null, references: [] };
  const thread = inbound.metadata.thread as { subject?: unknown; references?: unknown } | undefined;
  const subject = typeof thread?.subject === "string" ? thread.subject : null;
  const earlier = Array.isArray(thread?.references) ? thread.references.filter((id): id is string => typeof id === "string") : [];
  const own = inbound.providerMessageId;
  return own ? { subject, inReplyTo: own, references: [...earlier, own] } : { subject, references: earlier };
}
