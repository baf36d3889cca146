import { defineConfig } from "vitest/config";
import { captureOwnOutput } from "./packages/integrations/src/testing/log-audit.ts";

// Three layers, one command (`pnpm test`):
//   unit        pure logic, no database
//   integration real Postgres (one migrated clone per test file) and real graphile-worker
//   e2e         the production build of apps/web in real Chromium
// Tees every test worker's output into the run's secret audit (packages/integrations/src/testing).
// console output reaches vitest's main process instead of the worker's stdout, hence onConsoleLog.
const logAuditSetup = "packages/integrations/src/testing/log-audit-setup.ts";
const logAudit = { setupFiles: [logAuditSetup] };
// `pnpm test:resilience` runs the resilience project at full scale (apps/web/test/resilience/scale.ts).
const resilienceFull = process.env.RESILIENCE_SCALE === "full";

export default defineConfig({
  test: {
    onConsoleLog: (log) => void captureOwnOutput(log),
    globalSetup: ["packages/integrations/src/testing/log-audit-global-setup.ts", "packages/db/src/testing/global-setup.ts"],
    // 2-core machines: two test files at a time keeps Postgres and Chromium responsive.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: "unit",
          ...logAudit,
          include: ["packages/*/test/unit/**/*.test.ts", "packages/core/test/**/*.test.ts", "apps/*/test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          ...logAudit,
          include: ["packages/{db,api,integrations}/test/**/*.test.ts", "apps/*/test/integration/**/*.test.ts"],
          exclude: ["packages/*/test/unit/**"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          ...logAudit,
          include: ["apps/web/test/e2e/**/*.e2e.test.ts"],
          globalSetup: ["apps/web/test/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "resilience",
          ...logAudit,
          include: ["apps/web/test/resilience/**/*.test.ts"],
          // It drives the production build too; the setup builds once per run for both projects.
          globalSetup: ["apps/web/test/e2e/global-setup.ts"],
          testTimeout: resilienceFull ? 900_000 : 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
