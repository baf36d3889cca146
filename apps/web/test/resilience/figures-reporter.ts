import type { Reporter, TestModule } from "vitest/node";
import type { CheckFigures } from "./figures.ts";
import { FULL_SCALE, RESILIENCE_SEED } from "./scale.ts";

interface Row {
  check: string;
  result: string;
  figure: string;
  value: string;
}

const RESULT_LABEL: Record<string, string> = { passed: "pass", failed: "FAIL", skipped: "skip", pending: "skip" };

/**
 * `pnpm test:resilience` adds this reporter next to the default one: after the run it prints every
 * check of the suite with its result and figures, one table (tests without figures still get a line).
 */
export default class FiguresReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows: Row[] = [];
    for (const testModule of testModules) {
      if (testModule.project.name !== "resilience") continue;
      for (const testCase of testModule.children.allTests()) {
        const result = RESULT_LABEL[testCase.result().state] ?? testCase.result().state;
        const figures: CheckFigures = testCase.meta().resilience ?? { check: testCase.name, figures: [] };
        const lines = figures.figures.length > 0 ? figures.figures : [["(no figures recorded)", ""] as const];
        lines.forEach(([figure, value], index) =>
          rows.push({ check: index === 0 ? figures.check : "", result: index === 0 ? result : "", figure, value: String(value) }),
        );
      }
    }
    const header: Row = { check: "check", result: "result", figure: "figure", value: "value" };
    const widths = (Object.keys(header) as (keyof Row)[]).map((key) => Math.max(...[header, ...rows].map((row) => row[key].length)));
    const line = (row: Row) =>
      [row.check, row.result, row.figure, row.value].map((cell, index) => cell.padEnd(widths[index] ?? 0)).join("  ").trimEnd();
    const rule = widths.map((width) => "-".repeat(width)).join("  ");
    console.log(
      [`\nResilience suite: scale ${FULL_SCALE ? "full" : "fast"}, seed ${RESILIENCE_SEED}`, line(header), rule, ...rows.map(line), ""].join("\n"),
    );
  }
}
