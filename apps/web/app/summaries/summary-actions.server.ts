import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { rateLimitRefusal } from "../rate-limit.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export type SummaryActionResult = { ok: true; intent: "send-now" | "weekly"; message: string } | { ok: false; error: string };

const formSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("send-now") }),
  // An unticked checkbox is absent from the form.
  z.object({ intent: z.literal("weekly"), weeklyEmail: z.literal("on").optional().catch(undefined) }),
]);

/** The summaries page's POSTs: "Send me this week's summary now" and the weekly email setting. */
export async function summaryAction(userId: string, form: FormData) {
  const parsed = formSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data<SummaryActionResult>({ ok: false, error: "That action is not available here." }, { status: 400 });
  const summaries = createServerCaller(userId).summaries;
  try {
    if (parsed.data.intent === "send-now") {
      const { email } = await summaries.sendNow();
      return data<SummaryActionResult>({ ok: true, intent: "send-now", message: `This week's summary so far is being made and emailed to ${email}. It appears below in a moment.` });
    }
    const { enabled } = await summaries.setWeekly({ enabled: parsed.data.weeklyEmail === "on" });
    return data<SummaryActionResult>({
      ok: true,
      intent: "weekly",
      message: enabled ? "Saved: a summary is emailed every Monday at 08:00." : "Saved: no weekly summary is made or emailed. You can still send one now.",
    });
  } catch (error) {
    const refusal = rateLimitRefusal(error);
    if (refusal) return data<SummaryActionResult>({ ok: false, error: refusal.message }, refusal.init);
    if (error instanceof TRPCError && (error.code === "CONFLICT" || error.code === "NOT_FOUND")) return data<SummaryActionResult>({ ok: false, error: error.message }, { status: 409 });
    throw error;
  }
}
