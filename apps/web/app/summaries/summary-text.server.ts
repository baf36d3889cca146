import type { RouterOutputs } from "@audnix/api/client";
import { addDays, changeLines, daysBetween, highlightLines, numberLines, resolveTimeZone, summaryLabels, summaryWeek, weekContaining } from "@audnix/core";

type Summary = RouterOutputs["summaries"]["byId"];

const STATUS_TEXT: Record<Summary["status"], string> = {
  pending: "Being made",
  sending: "Being emailed",
  sent: "Emailed",
  unconfirmed: "The mail server did not confirm this email; it may have arrived (it is not sent again)",
  failed: "The email could not be sent",
  not_emailed: "Not emailed: platform email is not set up on this server",
};

/** A summary as the page shows it: its title and status in words, and the email's own lists. */
export function summaryForPage(summary: Summary) {
  const content = summary.content;
  const title = summary.kind === "weekly" ? `Week of ${longDate(summary.weekStart)}` : `This week so far (from ${longDate(summary.weekStart)})`;
  const base = { id: summary.id, kind: summary.kind, title, status: summary.status, statusText: STATUS_TEXT[summary.status], sentAt: summary.sentAt, createdAt: summary.createdAt };
  if (content === null) return { ...base, body: null };
  const labels = summaryLabels(summary.kind, daysBetween(content.period.from, content.period.to) + 1);
  return {
    ...base,
    body: {
      period: `${longDate(content.period.from)} to ${longDate(content.period.to)} (${content.period.timeZone})`,
      narrative: content.narrative.text,
      writtenBy: content.narrative.writtenBy,
      numbers: numberLines(content.numbers, labels.previous),
      changes: changeLines(content.numbers),
      changesTitle: `What changed since ${labels.previous.replace(/^in /, "")}`,
      highlights: highlightLines(content),
    },
  };
}

export type SummaryForPage = ReturnType<typeof summaryForPage>;

/** When the first weekly summary arrives, for the empty state: the next Monday 08:00 in the owner's zone. */
export function nextWeeklySummary(now: Date, timeZone: string | null) {
  const zone = resolveTimeZone(null, timeZone);
  const current = weekContaining(now, zone);
  // Before Monday 08:00 last week's summary is still to come; after it, this week's (next Monday).
  const lastWeek = summaryWeek(addDays(current.weekStart, -7), zone);
  const next = lastWeek.sendAt.getTime() > now.getTime() ? lastWeek : current;
  return { sendAt: next.sendAt, weekStart: longDate(next.weekStart), timeZone: zone };
}

function longDate(date: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}
