import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { handleLeadFactsAction, loadLeadFacts } from "../lead-facts/lead-facts.server.ts";
import { requireUserId } from "../session.server.ts";

// The lead page's facts panel (components/lead-facts-panel.tsx): its list and its edits, as JSON.

const leadIdSchema = z.uuid();
// Account data: never kept by shared caches (as privatePageHeaders says for pages).
const headers = { "Cache-Control": "private, no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const leadId = leadIdSchema.safeParse(params.leadId);
  const facts = leadId.success ? await loadLeadFacts(userId, leadId.data) : null;
  // The panel says so in place; the page itself answers 404 for a lead that is not the owner's.
  if (!facts) return Response.json({ error: "Lead not found." }, { headers });
  return Response.json({ facts }, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const leadId = leadIdSchema.safeParse(params.leadId);
  if (!leadId.success) return Response.json({ ok: false, intent: null, factId: null, error: "Lead not found." }, { headers });
  return Response.json(await handleLeadFactsAction(userId, leadId.data, await request.formData()), { headers });
}
