/** What the watcher saw while a run went on. */
export interface HealthReport {
  probes: number;
  /** Probes that did not get a 200 from /healthz within the probe timeout. */
  failures: number;
  /** Slowest answer in ms (a stalled event loop shows here first). */
  slowestMs: number;
}

const PROBE_TIMEOUT_MS = 5_000;

/** Probes `baseUrl`/healthz every `intervalMs` until stopped: is the server still answering? */
export function watchHealth(baseUrl: string, intervalMs: number): { stop(): Promise<HealthReport> } {
  const report: HealthReport = { probes: 0, failures: 0, slowestMs: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      // The timeout may strike while the body is read as well as before the headers.
      const ok = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status === 200;
        })
        .catch(() => false);
      report.probes += 1;
      if (!ok) report.failures += 1;
      report.slowestMs = Math.max(report.slowestMs, Math.round(performance.now() - started));
      // The probe's pace, not a wait for an outcome.
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}
