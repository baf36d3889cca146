import { bestStep, summaryContentSchema, summaryLabels, topQuestions, writeNarrative, type SummaryContent, type SummaryKind, type TextGenerator } from "@audnix/core";
import { loadSummaryHighlightRows, type Db, type SummaryOwnerDetails } from "@audnix/db";
import { loadSummaryFigures } from "./summary-figures.ts";

export interface SummaryPeriod {
  kind: SummaryKind;
  /** Local dates, inclusive. */
  from: string;
  to: string;
  dayCount: number;
  timeZone: string;
  /** [start, end): the instants the inbound questions are read from. */
  start: Date;
  end: Date;
}

/** One summary's document: the dashboard's numbers, the highlights, and the narrative (model or template). */
export async function makeSummaryContent(
  db: Db,
  input: { userId: string; owner: SummaryOwnerDetails; period: SummaryPeriod; now: Date; generator: TextGenerator | null },
): Promise<SummaryContent> {
  const { period } = input;
  const rows = await loadSummaryHighlightRows(db, input.userId, { start: period.start, end: period.end });
  const figures = await loadSummaryFigures(db, { userId: input.userId, from: period.from, to: period.to, now: input.now });
  const withoutNarrative = {
    version: 1 as const,
    brandName: input.owner.brandName?.slice(0, 200) ?? null,
    period: { from: period.from, to: period.to, timeZone: period.timeZone },
    numbers: figures.numbers,
    topQuestions: topQuestions(rows.inboundTexts),
    leadsNeedingOwner: rows.leadsNeedingOwner,
    bestStep: bestStep(figures.steps),
  };
  const narrative = await writeNarrative(withoutNarrative, summaryLabels(period.kind, period.dayCount), input.generator);
  // Checked here as on every read: a document that would not read back is never stored.
  return summaryContentSchema.parse({ ...withoutNarrative, narrative });
}
