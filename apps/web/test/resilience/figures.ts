// A check's figures ride on its test's metadata to the reporter in vitest's main process
// (figures-reporter.ts), which prints them as one table after the run. Recorded before the
// assertions, so a failing check still shows what it measured.

export type Figure = readonly [name: string, value: string | number];

export interface CheckFigures {
  /** The check's number and name as decision 0017 lists them. */
  check: string;
  figures: Figure[];
}

declare module "vitest" {
  interface TaskMeta {
    resilience?: CheckFigures;
  }
}

interface TaskWithMeta {
  meta: { resilience?: CheckFigures };
}

/** Adds figures to the check this test reports (several calls append). */
export function recordFigures(task: TaskWithMeta, check: string, figures: Figure[]): void {
  const current = task.meta.resilience;
  task.meta.resilience = { check, figures: [...(current?.check === check ? current.figures : []), ...figures] };
}

/** "value: count" for each distinct value, in first-seen order (answers by status, delivery statuses). */
export function tally(values: readonly (string | number | null)[]): string {
  const counts = new Map<string | number | null, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value ?? "none"}: ${count}`).join(", ") || "nothing";
}
