import {
  DraftRejectedError,
  FOLLOW_UP_JOBS,
  FOLLOW_UP_POLICY,
  GenerationError,
  decideNextAction,
  detectOptOut,
  draftMessage,
  findKnowledgeFor,
  historyWindow,
  MEMORY_SUMMARIZE_TASK,
  memorySummarizeJobKey,
  summaryIsBehind,
  nextLeadStatus,
  planStepTime,
  replyDelaySeconds,
  replyJobKey,
  REPLY_DEBOUNCE_SECONDS,
  stepJobKey,
  type Decision,
  type Logger,
  type MemorySummarizePayload,
  type NeedsOwner,
  type OutboundChannel,
  type OutboundMessage,
  type SendOutcome,
} from "@audnix/core";
import {
  beginSend,
  connectedChannels,
  emailThread,
  ensureUnsubscribeToken,
  loadConversation,
  loadFollowUpContext,
  recipientOn,
  recordOptOut,
  releaseSend,
  stopFollowUps,
  type DeliveryStatus,
  type FollowUpContext,
  type LeadStatus,
  type LoadedConversation,
  type NextStepPlan,
} from "@audnix/db";
import type { TaskRun } from "./define-task.ts";
import { draftContext, followUpBlockOf, latestInbound, leadSnapshot, remainingVoiceSeconds } from "./followup-snapshot.ts";
import { attachVoiceNote } from "./followup-voice.ts";
import { settleDelivery, WORKER_STOPPED_REASON } from "./send-settle.ts";
import { withProfileBeforeReply } from "./instagram-profile.ts";

// One pipeline for the three follow-up jobs (docs/decisions/0011): load the lead (one round trip,
// claiming the step) -> resume an interrupted send, if any -> opt-out check (replies) -> core decides
// -> draft -> voice -> record the send as pending (committed) -> vendor -> settle the outcome and
// plan the next step in one transaction.

export type FollowUpTarget =
  /** humanDelayApplied: this run is the one the human-like delay scheduled; answer now. */
  | { kind: "reply"; userId: string; leadId: string; humanDelayApplied: boolean }
  | { kind: "step" | "now"; userId: string; followUpId: string };

/** Thrown for outcomes graphile-worker should retry (429, 5xx, a model that is down). */
export class RetryLaterError extends Error {
  override name = "RetryLaterError";
}

interface Job {
  target: FollowUpTarget;
  context: FollowUpContext;
  run: TaskRun;
  logger: Logger;
  now: Date;
  /** 0 for a reply, else the 1-based step. */
  step: number;
  followUpId: string | null;
  idempotencyKey: string;
  /** The newest lead message this send answers (a newer one means the lead wrote meanwhile). */
  answeredUpTo: Date | null;
  /** The conversation and summary the draft read, loaded once per job (conversationFor). */
  conversation?: LoadedConversation;
}

export async function runFollowUp(target: FollowUpTarget, run: TaskRun): Promise<void> {
  const { deps } = run;
  const now = deps.now();
  const context = await loadFollowUpContext(deps.db, {
    userId: target.userId,
    ...(target.kind === "reply" ? { leadId: target.leadId } : { followUpId: target.followUpId }),
    // A step left "sending" is only ours to finish when this job ran before (its worker died);
    // a different job for the same step must leave it alone.
    reclaim: run.helpers.job.attempts > 1,
  });
  const logger = run.logger.child({ leadId: context?.lead.id, followUpId: target.kind === "reply" ? undefined : target.followUpId });
  if (!context) {
    logger.info("lead or step no longer exists; nothing to do");
    return;
  }
  if (target.kind !== "reply" && !context.followUp?.claimed) {
    logger.info("step is no longer planned; nothing to do", { status: context.followUp?.previousStatus });
    return;
  }

  const inbound = latestInbound(context);
  const followUp = target.kind === "reply" ? null : context.followUp;
  let idempotencyKey: string;
  if (followUp) {
    idempotencyKey = `step:${followUp.id}`;
  } else if (inbound) {
    idempotencyKey = `reply:${inbound.id}`;
  } else {
    logger.info("no message from the lead to answer");
    return;
  }
  const job: Job = {
    target,
    context,
    run,
    logger,
    now,
    step: followUp?.step ?? 0,
    followUpId: followUp?.id ?? null,
    idempotencyKey,
    answeredUpTo: inbound?.sentAt ?? null,
  };

  // A previous attempt of this very send got as far as recording it: never call the vendor again.
  const earlier = context.messages.find((message) => message.idempotencyKey === idempotencyKey);
  if (earlier) {
    await resumeEarlierAttempt(job, earlier.id, earlier.deliveryStatus, earlier.channel);
    return;
  }

  if (target.kind === "reply" && inbound && !target.humanDelayApplied) {
    // Capture queued this job after the debounce; a person would take a little longer to answer.
    const dueAt = new Date(
      inbound.sentAt.getTime() + (REPLY_DEBOUNCE_SECONDS + replyDelaySeconds(deps.followUpServices.random)) * 1000,
    );
    if (dueAt > now) {
      await releaseSend(deps.db, {
        userId: target.userId,
        leadId: context.lead.id,
        messageId: null,
        followUpId: null,
        retry: {
          task: FOLLOW_UP_JOBS.reply,
          payload: { leadId: context.lead.id, userId: target.userId, humanDelayApplied: true },
          jobKey: replyJobKey(context.lead.id),
          runAt: dueAt,
        },
        now,
      });
      logger.info("reply scheduled after a human-like delay", { dueAt });
      return;
    }
  }

  if (target.kind === "reply" && inbound) {
    const detection = await detectOptOut({ text: inbound.body, classify: deps.followUpServices.generator });
    if (detection.optedOut) {
      await recordOptOut(deps.db, { userId: target.userId, leadId: context.lead.id, source: "message", now });
      logger.info("lead opted out; everything stopped", { by: detection.by });
      return;
    }
  }

  // The first reply to a nameless Instagram lead may wait a moment for their profile's name.
  if (target.kind === "reply") job.context = await withProfileBeforeReply(run, { userId: target.userId, context, logger });

  await decideAndSend(job);
}

async function resumeEarlierAttempt(job: Job, messageId: string, delivery: DeliveryStatus | null, channel: OutboundChannel): Promise<void> {
  if (delivery !== "pending") {
    // sent / unconfirmed / failed are written together with the next step's plan: all done.
    job.logger.info("send already settled by an earlier attempt", { delivery });
    return;
  }
  // The process died between recording the send and hearing back: the vendor may have delivered.
  // At most once: do not resend; continue the sequence and say so on the message.
  job.logger.warn("earlier attempt died mid-send; not resending (delivery unconfirmed)", { channel });
  await settleDelivery(
    job.run,
    { userId: job.target.userId, leadId: job.context.lead.id, messageId, followUpId: job.followUpId, channel, continuation: () => continuation(job, job.now), logger: job.logger },
    { status: "unconfirmed", reason: WORKER_STOPPED_REASON },
  );
}

function decide(job: Job, exclude: OutboundChannel[]): Decision {
  const { context, run } = job;
  const services = run.deps.followUpServices;
  const template = context.brand.whatsappTemplateName
    ? { name: context.brand.whatsappTemplateName, languageCode: context.facts.language ?? "en" }
    : null;
  return decideNextAction({
    kind: job.target.kind,
    step: job.step,
    lead: leadSnapshot(context),
    settings: context.brand,
    whatsappTemplate: template,
    connected: connectedChannels(context),
    followUpBlock: followUpBlockOf(context, job.now),
    voice: {
      featureEnabled: services.synthesizer !== null,
      brandEnabled: context.brand.voiceEnabled,
      remainingSeconds: remainingVoiceSeconds(context),
    },
    exclude,
    now: job.now,
    random: services.random,
  });
}

async function decideAndSend(job: Job): Promise<void> {
  const { run, context, logger } = job;
  const { db, followUpServices: services } = run.deps;
  const exclude: OutboundChannel[] = [];

  // Each pass either settles the job or excludes one more channel, so this ends.
  for (;;) {
    const decision = decide(job, exclude);
    if (decision.action === "stop") return settleStop(job, decision.reason, decision.detail);
    if (decision.action === "defer") {
      await releaseSend(db, {
        userId: job.target.userId,
        leadId: context.lead.id,
        messageId: null,
        followUpId: job.followUpId,
        retry: stepRetry(job, decision.until),
        now: job.now,
      });
      logger.info("step deferred", { reason: decision.reason, until: decision.until });
      return;
    }

    const { channel } = decision;
    const recipient = recipientOn(context, channel);
    const sender = recipient ? await services.senderFor({ userId: job.target.userId, channel }) : null;
    if (!recipient || !sender) {
      logger.warn("channel chosen but not usable; trying the next one", { channel });
      exclude.push(channel);
      continue;
    }

    const composed = await composeMessage(job, decision, recipient);
    if (!composed) return;
    const { message } = composed;

    const begun = await beginSend(db, {
      userId: job.target.userId,
      leadId: context.lead.id,
      idempotencyKey: job.idempotencyKey,
      channel,
      body: message.text,
      attachments: message.voice ? [{ type: "audio", url: message.voice.url, contentType: message.voice.contentType }] : [],
      author: "ai",
      followUpStep: job.target.kind === "reply" ? null : job.step,
      metadata: {
        mode: message.template ? "template" : message.voice ? "voice" : "text",
        ...(job.followUpId ? { followUpId: job.followUpId } : {}),
        ...(message.email ? { subject: message.email.subject } : {}),
      },
      needsOwner: composed.needsOwner,
      now: job.now,
    });
    if (!begun.created) {
      // Another runner recorded this very send a moment ago and is settling it.
      logger.info("send already recorded by another attempt", { delivery: begun.delivery });
      return;
    }

    const outcome = await sender.send(message);
    const settled = await settleOutcome(job, begun.messageId, channel, outcome);
    if (settled === "settled") return;
    exclude.push(channel);
  }
}

/** The message to send, and the owner's flag when it could not answer the lead (set with the send record). */
type Composed = { message: OutboundMessage; needsOwner: NeedsOwner | null } | null;

async function composeMessage(job: Job, decision: Extract<Decision, { action: "send" }>, recipient: string): Promise<Composed> {
  const { context, run, logger } = job;
  const services = run.deps.followUpServices;
  const { channel } = decision;
  const base = {
    idempotencyKey: job.idempotencyKey,
    channel,
    recipient: { externalId: recipient, name: context.lead.name },
  };

  if (decision.mode === "template") {
    const name = context.brand.whatsappTemplateName ?? "";
    const firstName = draftContext(context, { purpose: "follow_up", step: job.step, channel, voice: false, knowledge: [] }).lead.firstName;
    return {
      message: {
        ...base,
        text: `WhatsApp template "${name}"`,
        template: { name, languageCode: context.facts.language ?? "en", bodyParameters: firstName ? [firstName] : [] },
      },
      needsOwner: null,
    };
  }

  const ungrounded = draftContext(context, {
    purpose: job.target.kind === "reply" ? "reply" : "follow_up",
    step: job.step,
    channel,
    voice: decision.voice,
    knowledge: [],
    conversation: await conversationFor(job),
  });
  // The same search the preview runs (core's findKnowledgeFor): the lead's pending words.
  const knowledge = await findKnowledgeFor(services.knowledge, { userId: job.target.userId, history: ungrounded.history });
  let draft;
  try {
    draft = await draftMessage({ ...ungrounded, knowledge, generator: services.generator });
  } catch (error) {
    if (error instanceof GenerationError && error.retryable) {
      await releaseSend(run.deps.db, { userId: job.target.userId, leadId: context.lead.id, messageId: null, followUpId: job.followUpId, now: job.now });
      throw new RetryLaterError(`the model could not answer now: ${error.message}`);
    }
    if (error instanceof DraftRejectedError || error instanceof GenerationError) {
      // The model cannot write an acceptable message for this lead: sending nothing beats
      // sending something wrong. The owner sees why on the lead.
      await stopFollowUps(run.deps.db, {
        userId: job.target.userId,
        leadId: context.lead.id,
        reason: `no acceptable message could be written: ${error.message}`.slice(0, 500),
        currentFollowUpId: job.followUpId,
        currentStatus: "failed",
        now: job.now,
      });
      logger.warn("draft rejected; sequence stopped", { err: error });
      return null;
    }
    throw error;
  }

  const message: OutboundMessage = { ...base, text: draft.text };
  if (channel === "email") {
    const token = await ensureUnsubscribeToken(run.deps.db, { userId: job.target.userId, leadId: context.lead.id });
    const thread = emailThread(context);
    message.email = {
      subject: draft.subject ?? thread.subject ?? "Following up",
      ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo } : {}),
      references: thread.references,
      unsubscribeUrl: `${services.appUrl}/unsubscribe/${encodeURIComponent(token)}`,
    };
  }
  if (decision.voice) {
    const voice = await attachVoiceNote(job.run, { userId: job.target.userId, leadId: context.lead.id, text: draft.text, now: job.now });
    if (voice) message.voice = voice;
  }
  if (draft.needsOwner) logger.info("reply could not answer from the knowledge base; lead flagged for the owner");
  return { message, needsOwner: draft.needsOwner };
}

/** "settled": the job is done; "next_channel": the channel refused (window closed), try another. */
async function settleOutcome(
  job: Job,
  messageId: string,
  channel: OutboundChannel,
  outcome: SendOutcome,
): Promise<"settled" | "next_channel"> {
  const { db } = job.run.deps;
  const userId = job.target.userId;
  const leadId = job.context.lead.id;
  const sentAt = job.run.deps.now();
  switch (outcome.status) {
    case "retry": {
      const runAt = outcome.retryAfterSeconds ? new Date(sentAt.getTime() + outcome.retryAfterSeconds * 1000) : null;
      await releaseSend(db, {
        userId,
        leadId,
        messageId,
        followUpId: job.followUpId,
        retry: runAt ? retryJob(job, runAt) : null,
        now: sentAt,
      });
      if (runAt) {
        job.logger.warn("vendor asked to retry later; rescheduled", { channel, reason: outcome.reason, runAt });
        return "settled";
      }
      throw new RetryLaterError(`${channel}: ${outcome.reason}`);
    }
    case "window_closed": {
      // Definitely not delivered: forget the record and re-plan on another channel, same step.
      await releaseSend(db, { userId, leadId, messageId, followUpId: null, now: sentAt });
      job.logger.info("messaging window closed; trying another channel", { channel, reason: outcome.reason });
      return "next_channel";
    }
    default: {
      const { nextFollowUpId } = await settleDelivery(
        job.run,
        { userId, leadId, messageId, followUpId: job.followUpId, channel, continuation: (at) => continuation(job, at), logger: job.logger },
        outcome,
      );
      if (outcome.status === "sent" || outcome.status === "unconfirmed") {
        if (outcome.status === "sent") job.logger.info("follow-up sent", { channel, kind: job.target.kind, step: job.step, nextFollowUpId });
        await queueSummaryWhenBehind(job);
      }
      return "settled";
    }
  }
}

/** The lead's newest FOLLOW_UP_POLICY.historyRowsLoaded messages and summary (docs/decisions/0024), read once per job. */
async function conversationFor(job: Job): Promise<LoadedConversation> {
  job.conversation ??= await loadConversation(job.run.deps.db, {
    userId: job.target.userId,
    leadId: job.context.lead.id,
    limit: FOLLOW_UP_POLICY.historyRowsLoaded,
  });
  return job.conversation;
}

/**
 * After a settled send: when messages the draft could not show are not in the lead's summary yet,
 * queue memory:summarize (one job per lead). The send is done whatever happens here, so a failure
 * to queue is logged, not thrown (the next send queues it again).
 */
async function queueSummaryWhenBehind(job: Job): Promise<void> {
  const { conversation } = job;
  if (!conversation) return;
  const { older } = historyWindow(conversation.messages);
  const olderNewestAt = older.at(-1)?.sentAt ?? conversation.earlierAt;
  if (!summaryIsBehind({ olderNewestAt, coversUntil: conversation.summary?.coversUntil ?? null })) return;
  const payload: MemorySummarizePayload = { userId: job.target.userId, leadId: job.context.lead.id };
  try {
    await job.run.helpers.addJob(MEMORY_SUMMARIZE_TASK, payload, { jobKey: memorySummarizeJobKey(payload.leadId) });
  } catch (error) {
    job.logger.warn("could not queue the conversation summary", { err: error });
  }
}

/** The next step after this one (a reply starts the sequence at step 1), or the end of it. */
function continuation(job: Job, sentAt: Date): { next: NextStepPlan | null; endStatus: LeadStatus | null; answeredUpTo: Date | null; now: Date } {
  const { context } = job;
  const nextStep = job.step + 1;
  const base = { answeredUpTo: job.answeredUpTo, now: sentAt };
  if (nextStep > context.brand.followUpStepsMinutes.length) {
    const afterSend = nextLeadStatus(context.lead.status, "outbound_sent");
    return { ...base, next: null, endStatus: nextLeadStatus(afterSend, "sequence_finished") };
  }
  const plannedAt = planStepTime({
    step: nextStep,
    lastInboundAt: job.answeredUpTo,
    lastOutboundAt: sentAt,
    settings: context.brand,
    leadTimeZone: context.facts.timezone ?? null,
    random: job.run.deps.followUpServices.random,
  });
  // The channel is re-chosen when the step runs; this is the best guess for the dashboard.
  const channel = (context.messages.findLast((message) => message.direction === "outbound")?.channel ?? context.lead.channel);
  return { ...base, next: { step: nextStep, channel, plannedAt }, endStatus: null };
}

function stepRetry(job: Job, runAt: Date) {
  return job.followUpId ? retryJob(job, runAt) : null;
}

function retryJob(job: Job, runAt: Date) {
  const leadId = job.context.lead.id;
  if (job.followUpId) {
    return {
      task: FOLLOW_UP_JOBS.step,
      payload: { followUpId: job.followUpId, userId: job.target.userId },
      jobKey: stepJobKey(leadId, job.step),
      runAt,
    };
  }
  return { task: FOLLOW_UP_JOBS.reply, payload: { leadId, userId: job.target.userId }, jobKey: replyJobKey(leadId), runAt };
}

async function settleStop(job: Job, reason: string, detail?: string): Promise<void> {
  const { db } = job.run.deps;
  const { context } = job;
  const base = { userId: job.target.userId, leadId: context.lead.id, currentFollowUpId: job.followUpId, now: job.now };
  switch (reason) {
    case "nothing_to_answer":
      job.logger.info("nothing to answer");
      return;
    case "opted_out":
      await stopFollowUps(db, { ...base, reason: "lead opted out", leadStatus: "opted_out", currentStatus: "cancelled", includeReplyJobs: true });
      break;
    case "sequence_finished":
    case "lead_lost":
      await stopFollowUps(db, {
        ...base,
        reason: "sequence finished",
        leadStatus: nextLeadStatus(context.lead.status, "sequence_finished"),
        currentStatus: "skipped",
      });
      break;
    default:
      await stopFollowUps(db, { ...base, reason: detail ? `${reason}: ${detail}` : reason, currentStatus: "skipped" });
  }
  job.logger.info("follow-up stopped", { reason, detail });
}
