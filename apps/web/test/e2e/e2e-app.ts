import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { recordTestSecret } from "@audnix/integrations/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { launchChromium } from "./chromium.ts";
import { startJobsWorker, type JobsWorker } from "./jobs-worker.ts";
import { startWebServer, type WebServer } from "./web-server.ts";

export interface E2eApp {
  database: TestDatabase;
  server: WebServer;
  browser: Browser;
  /** The real jobs worker on the same database, when the file asked for it (`{ worker: true }`). */
  worker: JobsWorker | null;
}

export interface E2eAppOptions {
  /** Also run the jobs worker process (follow-ups really get written and sent in the sandbox). */
  worker?: boolean;
  /** The worker's environment on top of what every run needs (e.g. a vendor fake's URL, the web app's ENCRYPTION_KEY). */
  workerEnv?: Record<string, string>;
}

/**
 * For one test file: a database of its own, the production server on it (started with `env` on
 * top of what every run needs) and Chromium, all stopped after the file. A failed test prints what
 * the server (and worker) logged, since its own error rarely says why the app misbehaved. Returns
 * the accessor the tests use.
 */
export function useE2eApp(env: Record<string, string> = {}, options: E2eAppOptions = {}): () => E2eApp {
  const app: Partial<E2eApp> = {};
  beforeAll(async () => {
    app.database = await createTestDatabase();
    const jwtSecret = randomBytes(32).toString("hex");
    recordTestSecret(jwtSecret, new URL(app.database.appUrl).password);
    app.server = await startWebServer({
      // Demo sign-in is a development/test feature; the production build is served in test mode.
      NODE_ENV: "test",
      DATABASE_URL: app.database.appUrl,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: "warn",
      ...env,
    });
    app.browser = await launchChromium();
    app.worker = options.worker
      ? await startJobsWorker({ DATABASE_URL: app.database.appUrl, APP_URL: app.server.url, ...options.workerEnv })
      : null;
  });
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      const worker = app.worker ? `\n--- worker ---\n${app.worker.output()}` : "";
      console.error(`--- web server ---\n${app.server?.output() ?? ""}${worker}`);
    });
  });
  afterAll(async () => {
    await app.worker?.stop();
    await app.browser?.close();
    await app.server?.stop();
    await app.database?.destroy();
  });
  return () => {
    const { database, server, browser, worker = null } = app;
    if (!database || !server || !browser) throw new Error("the e2e app did not start (see beforeAll)");
    return { database, server, browser, worker };
  };
}
