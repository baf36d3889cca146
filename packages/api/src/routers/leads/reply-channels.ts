import { replyChannelOptions, type ReplyChannelOption } from "@audnix/core";
import { connectedChannels, lastInboundByChannel, reachableChannels, type FollowUpContext } from "@audnix/db";

/** The owner's reply options for a loaded lead: core's rule over the stored context. */
export function ownerReplyOptions(context: FollowUpContext, now: Date): ReplyChannelOption[] {
  return replyChannelOptions({
    sender: "owner",
    reachable: reachableChannels(context),
    connected: connectedChannels(context),
    lastInboundByChannel: lastInboundByChannel(context),
    hasWhatsappTemplate: context.brand.whatsappTemplateName !== null,
    now,
  });
}
