/** Latency percentiles and throughput of one measured run. */
export interface RunResult {
  label: string;
  operations: number;
  seconds: number;
  latenciesMs: number[];
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? Number.NaN;
}

export interface Summary {
  label: string;
  perSecond: number;
  p50: number;
  p99: number;
  operations: number;
}

export function summarize(run: RunResult): Summary {
  const sorted = [...run.latenciesMs].sort((a, b) => a - b);
  return {
    label: run.label,
    perSecond: run.operations / run.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    operations: run.operations,
  };
}

/** Runs `operation` from `concurrency` loops for `durationMs`, timing each call. */
export async function runClosedLoop(
  label: string,
  concurrency: number,
  durationMs: number,
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<RunResult> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const t0 = performance.now();
        await operation(worker, iteration);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { label, operations: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs };
}

export function printTable(title: string, rows: Summary[], baseline: Summary, targets: string): void {
  const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
  console.log(`\n${title}`);
  console.log("| run | ops/s | p50 ms | p99 ms | ops | vs baseline |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${fmt(row.perSecond, 0)} | ${fmt(row.p50, 2)} | ${fmt(row.p99, 2)} | ${row.operations} | ${fmt(row.perSecond / baseline.perSecond, 2)}x |`,
    );
  }
  console.log(`targets: ${targets}`);
}
