import { capLength, channelMode, factValue, firstNameOf, ownerSendJobPayloadSchema, type OutboundMessage, type SendOutcome } from "@audnix/core";
import {
  emailThread,
  ensureUnsubscribeToken,
  failSend,
  loadFollowUpContext,
  loadOwnerSend,
  nextPlannedStep,
  recipientOn,
  type FollowUpContext,
  type OwnerSendRow,
} from "@audnix/db";
import { z } from "zod";
import { defineTask, type TaskRun } from "./define-task.ts";
import { settleDelivery, WORKER_STOPPED_REASON, type SendContinuation, type SettleTarget } from "./send-settle.ts";

// owner:send (docs/decisions/0025): sends one message the owner recorded (a reply from the lead
// page, or a deliberate retry of a failed/unconfirmed message, theirs or the AI's) and settles it
// with the engine's settle code. The platform rules are checked again here, with the clock of the
// send: the channel may have closed since the owner pressed Send.

const metadataSchema = z.object({ mode: z.enum(["text", "voice", "template"]).catch("text"), subject: z.string().optional() }).catch({ mode: "text" });
const audioAttachmentSchema = z.object({ type: z.literal("audio"), url: z.url(), contentType: z.enum(["audio/ogg", "audio/mpeg"]) });

export const ownerSendTask = defineTask(ownerSendJobPayloadSchema, async (payload, run) => {
  const message = await loadOwnerSend(run.deps.db, payload);
  const logger = run.logger.child({ leadId: message?.leadId, messageId: payload.messageId });
  if (!message) {
    logger.info("message no longer exists; nothing to send");
    return;
  }
  if (message.deliveryStatus !== "pending") {
    logger.info("send already settled", { delivery: message.deliveryStatus });
    return;
  }
  const target: SettleTarget = {
    userId: payload.userId,
    leadId: message.leadId,
    messageId: message.id,
    followUpId: null,
    channel: message.channel,
    continuation: await keepThePlan(run, payload.userId, message.leadId),
    logger,
  };
  // A previous attempt of this job may have called the vendor before its worker died: at most once.
  if (run.helpers.job.attempts > 1) {
    logger.warn("earlier attempt died mid-send; not resending (delivery unconfirmed)");
    await settleDelivery(run, target, { status: "unconfirmed", reason: WORKER_STOPPED_REASON });
    return;
  }
  const context = await loadFollowUpContext(run.deps.db, { userId: payload.userId, leadId: message.leadId });
  if (!context) {
    logger.info("lead no longer exists; nothing to send");
    return;
  }
  const refusal = async (reason: string) => {
    await failSend(run.deps.db, { ...target, reason, ...target.continuation(run.deps.now()) });
    logger.info("owner send refused before the vendor was called", { reason });
  };
  const composed = await compose(run, payload.userId, context, message);
  if ("refused" in composed) return refusal(composed.refused);
  const sender = await run.deps.followUpServices.senderFor({ userId: payload.userId, channel: message.channel });
  if (!sender) return refusal("the channel is not connected any more");
  const outcome: SendOutcome = await sender.send(composed.message);
  switch (outcome.status) {
    // Nothing went out: the owner decides whether and when to send it again (Retry on the page).
    case "retry":
      return refusal(`${channelName(message)} could not take it right now; nothing was sent`);
    case "window_closed":
      return refusal(`${channelName(message)} refused it: the messaging window has closed`);
    default:
      await settleDelivery(run, target, outcome);
      logger.info("owner message settled", { channel: message.channel, delivery: outcome.status });
  }
});

function channelName(message: OwnerSendRow): string {
  return { instagram: "Instagram", whatsapp: "WhatsApp", email: "The email server", sandbox: "The sandbox" }[message.channel];
}

/**
 * The owner's message does not touch the AI's plan: a planned step stays planned (it is planned
 * again as it was, since settling re-plans), and nothing is planned when nothing was. Whether the
 * AI goes on at all is the owner's setting, applied when they sent (the pause).
 */
async function keepThePlan(run: TaskRun, userId: string, leadId: string): Promise<(sentAt: Date) => SendContinuation> {
  const planned = await nextPlannedStep(run.deps.db, { userId, leadId });
  const next = planned ? { step: planned.step, channel: planned.channel, plannedAt: planned.plannedAt } : null;
  return (sentAt) => ({ next, endStatus: null, answeredUpTo: null, now: sentAt });
}

type Composition = { message: OutboundMessage } | { refused: string };

async function compose(run: TaskRun, userId: string, context: FollowUpContext, row: OwnerSendRow): Promise<Composition> {
  const now = run.deps.now();
  if (context.lead.optedOutAt !== null) return { refused: "the lead opted out" };
  const recipient = recipientOn(context, row.channel);
  if (!recipient) return { refused: "the lead has no address on this channel" };
  const metadata = metadataSchema.parse(row.metadata);
  const templateName = context.brand.whatsappTemplateName;
  const mode = channelMode({
    channel: row.channel,
    // A retried AI message is still the AI's: it never gets the human agent tag.
    sender: row.author === "owner" ? "owner" : "ai",
    lastInboundOnChannelAt: context.lastInbound[row.channel]?.sentAt ?? null,
    hasWhatsappTemplate: templateName !== null,
    now,
  });
  if (!mode.open) return { refused: "the messaging window closed before it went out" };
  // Recorded as the template (or as text): sending the other would not be the message on the page.
  if ((mode.mode === "template") !== (metadata.mode === "template")) return { refused: "the messaging window changed before it went out" };
  const message: OutboundMessage = {
    idempotencyKey: row.idempotencyKey ?? row.id,
    channel: row.channel,
    recipient: { externalId: recipient, name: context.lead.name },
    text: row.body,
  };
  if (mode.mode === "human_agent_tag") message.messageTag = "HUMAN_AGENT";
  if (mode.mode === "template" && templateName) {
    // As the engine sends it: the lead's first name as the template's one parameter, when known.
    const firstName = firstNameOf({ preferredName: factValue(context.memoryFacts, "preferred_name"), name: context.lead.name, email: context.lead.email });
    message.template = { name: templateName, languageCode: context.facts.language ?? "en", bodyParameters: firstName ? [firstName] : [] };
  }
  const voice = z.array(z.unknown()).catch([]).parse(row.attachments).map((entry) => audioAttachmentSchema.safeParse(entry).data).find(Boolean);
  if (voice && metadata.mode === "voice") message.voice = { url: voice.url, contentType: voice.contentType };
  if (row.channel === "email") {
    const token = await ensureUnsubscribeToken(run.deps.db, { userId, leadId: row.leadId });
    const thread = emailThread(context);
    message.email = {
      subject: metadata.subject ?? replySubject(thread.subject, context.brand.brandName),
      ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
      references: thread.references,
      unsubscribeUrl: `${run.deps.followUpServices.appUrl}/unsubscribe/${encodeURIComponent(token)}`,
    };
  }
  return { message };
}

/** "Re: <the lead's subject>" keeps the reply in their thread; without one, the brand's name says who writes. */
function replySubject(subject: string | null, brandName: string | null): string {
  if (subject) return /^re:/i.test(subject) ? subject : capLength(`Re: ${subject}`, 250);
  return brandName ? `A message from ${brandName}` : "A message for you";
}
