import type { SummaryRow } from "@audnix/db";

/** What the dashboard shows of a summary: never its email's Message-ID or the raw document. */
export function summaryView(row: SummaryRow) {
  return {
    id: row.id,
    kind: row.kind,
    weekStart: row.weekStart,
    periodEnd: row.periodEnd,
    status: row.status,
    sentAt: row.sentAt,
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    content: row.content,
  };
}

export type SummaryView = ReturnType<typeof summaryView>;
