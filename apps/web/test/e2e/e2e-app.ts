import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { recordTestSecret } from "@audnix/integrations/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
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
}

/**
 * For one test file: a database of its own, the production server on it (started with `env` on
 * top of what every run needs) and Chromium, all stopped after the file. Returns the accessor the
 * tests use.
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
      ? await startJobsWorker({ DATABASE_URL: app.database.appUrl, APP_URL: app.server.url })
      : null;
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

/** Signs in with the demo account `email` and waits for the dashboard's live connection. */
export async function openDashboard(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/auth`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in with demo account" }).click();
  await page.waitForURL(`${baseUrl}/dashboard`);
  await page.getByTestId("live-status").filter({ hasText: "Live" }).waitFor();
}
