import { NEEDS_YOU_EMAIL_MAX_LEADS } from "./alert.ts";
import { needsOwnerSummary } from "./reason-words.ts";
import type { NeedsOwnerReason } from "./reasons.ts";

export interface NeedsYouAlertLead {
  id: string;
  /** The lead's name, or null (then "A lead"). */
  name: string | null;
  reason: NeedsOwnerReason;
}

/**
 * The alert email: who needs the owner and why, each with a link to the lead page. Names and
 * reasons only: what the lead wrote stays on the dashboard, behind the owner's sign-in.
 */
export function needsYouAlertEmail(input: { appUrl: string; leads: readonly NeedsYouAlertLead[] }): { subject: string; text: string } {
  const count = input.leads.length;
  const subject = count === 1 ? "A lead needs you" : `${count} leads need you`;
  const shown = input.leads.slice(0, NEEDS_YOU_EMAIL_MAX_LEADS);
  const base = input.appUrl.replace(/\/+$/, "");
  const lines = shown.map((lead) => `- ${lead.name ?? "A lead"} ${needsOwnerSummary(lead.reason)}: ${base}/dashboard/leads/${lead.id}`);
  if (count > shown.length) lines.push(`- and ${count - shown.length} more: ${base}/dashboard?needsYou=1`);
  const text = [
    count === 1 ? "A lead is waiting for you in Audnix:" : `${count} leads are waiting for you in Audnix:`,
    "",
    ...lines,
    "",
    "You get this email because \"Email me when a lead needs me\" is on. Turn it off on the lead list in Audnix.",
  ].join("\n");
  return { subject, text };
}
