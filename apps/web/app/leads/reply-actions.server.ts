import type { OutboundChannel } from "@audnix/core";
import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { rateLimitRefusal } from "../rate-limit.server.ts";
import { createServerCaller } from "../trpc.server.ts";
import { CHANNEL_NAMES } from "./lead-labels.ts";

// The lead page's reply box and Retry buttons: form fields to leads.reply / draftReply / retrySend.

const formSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("reply"),
    channel: z.enum(["instagram", "whatsapp", "email", "sandbox"]),
    // The API trims and checks the length per channel; this only bounds what is parsed.
    body: z.string().max(20_000),
    clientMessageId: z.uuid(),
  }),
  z.object({ intent: z.literal("draft-reply") }),
  z.object({ intent: z.literal("retry-send"), messageId: z.uuid() }),
]);

export type ReplyIntent = z.output<typeof formSchema>["intent"];
const REPLY_INTENTS = new Set<string>(["reply", "draft-reply", "retry-send"] satisfies ReplyIntent[]);

/** Whether the lead page's form is one of the reply box's (else the follow-up panel's). */
export function isReplyIntent(form: FormData): boolean {
  return REPLY_INTENTS.has(String(form.get("intent")));
}

export type ReplyActionResult =
  | { ok: true; intent: "reply"; clientMessageId: string; message: string }
  /** sources: titles of the knowledge the draft used; unanswered: it does not answer the lead's question. */
  | { ok: true; intent: "draft-reply"; draft: { channel: OutboundChannel; text: string; sources: string[]; unanswered: boolean } }
  | { ok: true; intent: "retry-send"; messageId: string; message: string }
  | { ok: false; error: string };

// The refusals the API words for the owner (closed window, opted out, not retryable).
const SHOWN_AS_IS = new Set<TRPCError["code"]>(["PRECONDITION_FAILED", "SERVICE_UNAVAILABLE", "NOT_FOUND"]);

export async function handleReplyAction(
  userId: string,
  leadId: string,
  form: FormData,
): Promise<ReplyActionResult | ReturnType<typeof data<ReplyActionResult>>> {
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: "Write a message and pick a channel first." };
  const leads = createServerCaller(userId).leads;
  try {
    switch (parsed.data.intent) {
      case "reply": {
        const { channel, body, clientMessageId } = parsed.data;
        const sent = await leads.reply({ leadId, channel, body, clientMessageId });
        const paused = sent.aiPaused ? " The AI is paused for this lead until you resume it." : "";
        const what = sent.mode === "template" ? "Your approved template is being sent" : "Your reply is being sent";
        return { ok: true, intent: "reply", clientMessageId, message: `${what} on ${CHANNEL_NAMES[channel]}.${paused}` };
      }
      case "draft-reply": {
        const draft = await leads.draftReply({ leadId });
        return { ok: true, intent: "draft-reply", draft: { channel: draft.channel, text: draft.text, sources: draft.sources, unanswered: draft.unanswered } };
      }
      case "retry-send": {
        const retry = await leads.retrySend({ messageId: parsed.data.messageId });
        return {
          ok: true,
          intent: "retry-send",
          messageId: parsed.data.messageId,
          message: retry.repeated ? "This message was already sent again." : "Sending the message again.",
        };
      }
    }
  } catch (error) {
    const refusal = rateLimitRefusal(error);
    if (refusal) return data<ReplyActionResult>({ ok: false, error: refusal.message }, refusal.init);
    if (error instanceof TRPCError && SHOWN_AS_IS.has(error.code)) return { ok: false, error: error.message };
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") {
      // The zod message of the field (an empty or too long message), or the handler's own.
      const issue = error.cause instanceof z.ZodError ? error.cause.issues[0]?.message : undefined;
      return { ok: false, error: issue ?? error.message };
    }
    throw error;
  }
}
