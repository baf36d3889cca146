import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { formatAmount } from "../billing/format-amount.ts";
import { STATUS_NAMES } from "../leads/lead-labels.ts";
import { rateLimitRefusal } from "../rate-limit.server.ts";
import { createServerCaller } from "../trpc.server.ts";

const formSchema = z.discriminatedUnion("intent", [
  // The step the page showed as next: pressing again for a step that went out meanwhile is a no-op.
  z.object({ intent: z.literal("follow-up-now"), step: z.coerce.number().int().min(1).max(1000).optional() }),
  z.object({ intent: z.literal("pause") }),
  // Left blank, the value is not recorded; the API checks it against the currency's decimals.
  z.object({ intent: z.literal("mark-converted"), value: z.string().catch(""), currency: z.string().catch("") }),
  z.object({ intent: z.literal("undo-converted") }),
  // The checkbox is only present when ticked.
  z.object({ intent: z.literal("resume"), followUpNow: z.literal("on").optional() }),
]);

export type FollowUpIntent = z.output<typeof formSchema>["intent"];

export type FollowUpActionResult = { ok: true; intent: FollowUpIntent; message: string } | { ok: false; error: string };

const FOLLOW_UP_NOW_MESSAGES = {
  queued: (step: number) => `Sending follow-up step ${step} now. It appears in the conversation once sent.`,
  already_pending: (step: number) => `Follow-up step ${step} is already on its way: nothing more was queued.`,
  already_sent: (step: number) => `Follow-up step ${step} was just sent: nothing more was queued.`,
} as const;

// The refusals the API words for the owner (opted out, paused, blocked, model unavailable).
const SHOWN_AS_IS = new Set<TRPCError["code"]>(["PRECONDITION_FAILED", "SERVICE_UNAVAILABLE", "NOT_FOUND"]);

/** The follow-up panel's buttons on the lead page; a rate-limited one answers 429 with Retry-After. */
export async function handleFollowUpAction(
  userId: string,
  leadId: string,
  form: FormData,
): Promise<FollowUpActionResult | ReturnType<typeof data<FollowUpActionResult>>> {
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: "Unknown action." };
  const followUps = createServerCaller(userId).followUps;
  try {
    switch (parsed.data.intent) {
      case "follow-up-now": {
        const { step } = parsed.data;
        const result = await followUps.followUpNow({ leadId, ...(step === undefined ? {} : { step }) });
        return { ok: true, intent: "follow-up-now", message: FOLLOW_UP_NOW_MESSAGES[result.outcome](result.step) };
      }
      case "pause": {
        const { cancelledSteps } = await followUps.pause({ leadId });
        const cancelled = cancelledSteps > 0 ? ` ${cancelledSteps === 1 ? "1 planned follow-up was" : `${cancelledSteps} planned follow-ups were`} cancelled.` : "";
        return { ok: true, intent: "pause", message: `AI paused: nothing is sent to this lead until you resume.${cancelled}` };
      }
      case "mark-converted": {
        const { value, currency } = parsed.data;
        const { alreadyConverted, cancelledSteps } = await followUps.markConverted({ leadId, value, currency });
        if (alreadyConverted) return { ok: true, intent: "mark-converted", message: "This lead was already marked as converted: nothing changed." };
        const { conversion } = await followUps.forLead({ leadId });
        const worth = conversion?.valueMinor != null && conversion.currency ? ` (${formatAmount(conversion.valueMinor, conversion.currency)})` : "";
        const cancelled = cancelledSteps > 0 ? ` ${cancelledSteps === 1 ? "1 planned follow-up was" : `${cancelledSteps} planned follow-ups were`} cancelled.` : "";
        return { ok: true, intent: "mark-converted", message: `Marked as converted${worth}: the AI sends this lead no more follow-ups.${cancelled}` };
      }
      case "undo-converted": {
        const { restoredStatus } = await followUps.undoConverted({ leadId });
        return {
          ok: true,
          intent: "undo-converted",
          message: `Conversion undone: the lead's status is ${STATUS_NAMES[restoredStatus]} again. Follow-ups the conversion cancelled stay cancelled: the AI answers the lead's next message, or use Follow up now.`,
        };
      }
      case "resume": {
        const { followUpQueued } = await followUps.resume({ leadId, followUpNow: parsed.data.followUpNow === "on" });
        return {
          ok: true,
          intent: "resume",
          message: followUpQueued
            ? "AI resumed, and the next follow-up is being sent now."
            : "AI resumed: it answers this lead's next message and follows up from there.",
        };
      }
    }
  } catch (error) {
    const refusal = rateLimitRefusal(error);
    if (refusal) return data<FollowUpActionResult>({ ok: false, error: refusal.message }, refusal.init);
    if (error instanceof TRPCError && SHOWN_AS_IS.has(error.code)) return { ok: false, error: error.message };
    // A value or currency the API refused: its first issue, in the API's words (core's refusals).
    if (error instanceof TRPCError && error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError) {
      return { ok: false, error: error.cause.issues[0]?.message ?? "Check the value and currency." };
    }
    throw error;
  }
}
