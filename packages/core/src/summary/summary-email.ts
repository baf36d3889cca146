// The summary email: the narrative, the numbers, what changed, the highlights, and where to read
// it and turn it off. Text and HTML say the same.
import type { PlatformEmail } from "../mail/platform-mailer.ts";
import type { SummaryContent } from "./summary-content.ts";
import { changeLines, highlightLines, numberLines } from "./summary-text.ts";

export type SummaryKind = "weekly" | "week_to_date";

/** How the narrative and the lists name the period and the one before it. */
export function summaryLabels(kind: SummaryKind, dayCount: number): { period: string; previous: string } {
  if (kind === "weekly") return { period: "last week", previous: "the week before" };
  return { period: "this week so far", previous: `in the ${dayCount === 1 ? "day" : `${dayCount} days`} before` };
}

export interface SummaryEmailInput {
  kind: SummaryKind;
  content: SummaryContent;
  /** Days the period covers (7 for a weekly summary). */
  dayCount: number;
  to: string;
  idempotencyKey: string;
  /** The summary's page (absolute URL). */
  summaryUrl: string;
  /** Where weekly summaries are turned off (absolute URL; the summaries page). */
  settingsUrl: string;
}

export function summaryEmail(input: SummaryEmailInput): PlatformEmail {
  const { content } = input;
  const labels = summaryLabels(input.kind, input.dayCount);
  const who = content.brandName ?? "Audnix";
  const heading = input.kind === "weekly" ? `Your week at ${who}` : `Your week so far at ${who}`;
  const sections: Array<{ title: string; lines: string[] }> = [
    { title: `The numbers (${content.period.from} to ${content.period.to})`, lines: numberLines(content.numbers, labels.previous) },
    { title: `What changed since ${labels.previous.replace(/^in /, "")}`, lines: changeLines(content.numbers) },
    { title: "Highlights", lines: highlightLines(content) },
  ].filter((section) => section.lines.length > 0);
  const footer =
    input.kind === "weekly"
      ? `Read it online: ${input.summaryUrl}\nTurn weekly summaries off: ${input.settingsUrl}`
      : `Read it online: ${input.summaryUrl}\nYou asked for this summary; your weekly summary still arrives on Monday.`;
  const text = [content.narrative.text, ...sections.map((section) => `${section.title}\n${section.lines.map((line) => `- ${line}`).join("\n")}`), footer].join("\n\n");
  const html = [
    `<h1>${escapeHtml(heading)}</h1>`,
    `<p>${escapeHtml(content.narrative.text)}</p>`,
    ...sections.map((section) => `<h2>${escapeHtml(section.title)}</h2>\n<ul>${section.lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul>`),
    `<p><a href="${escapeHtml(input.summaryUrl)}">Read it online</a></p>`,
    input.kind === "weekly"
      ? `<p style="font-size:12px;color:#666"><a href="${escapeHtml(input.settingsUrl)}">Turn weekly summaries off</a>.</p>`
      : `<p style="font-size:12px;color:#666">You asked for this summary; your weekly summary still arrives on Monday.</p>`,
  ].join("\n");
  return { to: input.to, subject: `${heading}: ${content.numbers.newLeads.current} new ${content.numbers.newLeads.current === 1 ? "lead" : "leads"}`, text, html, idempotencyKey: input.idempotencyKey };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
