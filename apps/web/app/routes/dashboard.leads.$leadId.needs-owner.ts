import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

// "Mark as handled" on the lead page's "The AI couldn't answer" banner. A resource route: the
// lead page's loader runs again after it, and the banner goes.

const leadIdSchema = z.uuid();

export type ClearNeedsOwnerResult = { ok: true; cleared: boolean } | { ok: false; error: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const id = leadIdSchema.safeParse(params.leadId);
  if (!id.success) return data<ClearNeedsOwnerResult>({ ok: false, error: "Lead not found." }, { status: 404 });
  try {
    const { cleared } = await createServerCaller(userId).leads.clearNeedsOwner({ leadId: id.data });
    return data<ClearNeedsOwnerResult>({ ok: true, cleared });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return data<ClearNeedsOwnerResult>({ ok: false, error: "Lead not found." }, { status: 404 });
    throw error;
  }
}
