import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "@audnix/core";
import { withClient } from "@audnix/db/admin";
import { useTestDatabase } from "@audnix/db/testing";
import { captureChildOutput, recordTestSecret } from "@audnix/integrations/testing";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorker } from "../../src/worker.ts";

const HOUR_MS = 60 * 60 * 1000;
const appDir = path.resolve(fileURLToPath(import.meta.url), "../../..");

const t = useTestDatabase();

beforeAll(async () => {
  recordTestSecret(new URL(t.appUrl).password);
});

describe("worker in process", () => {
  const lines: Record<string, unknown>[] = [];
  const completed = new Map<string, { error: unknown }>();
  const failedAttempts: string[] = [];
  let runner: Runner;

  beforeAll(async () => {
    const logger = createLogger({ level: "info", sink: (line) => lines.push(JSON.parse(line)) });
    runner = await startWorker({ env: { WORKER_CONCURRENCY: 2 }, db: t.db, logger });
    runner.events.on("job:complete", ({ job, error }) => completed.set(job.id, { error }));
    runner.events.on("job:error", ({ job }) => failedAttempts.push(job.id));
  });

  afterAll(async () => {
    await runner?.stop();
  });

  async function runJob(task: string, payload: unknown): Promise<{ error: unknown }> {
    const job = await runner.addJob(task, payload);
    await vi.waitFor(() => expect(completed.has(job.id)).toBe(true), { timeout: 15_000, interval: 20 });
    return completed.get(job.id)!;
  }

  async function jobExists(id: string): Promise<boolean> {
    const { rowCount } = await t.db.pool.query("SELECT 1 FROM graphile_worker.jobs WHERE id = $1", [id]);
    return rowCount === 1;
  }

  it("logs that it is ready, with its tasks", () => {
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "worker ready", tasks: [
          "sessions:purge-expired",
          "connections:refresh-instagram-tokens",
          "connections:forget-disconnected",
          "followup:reply",
          "followup:step",
          "followup:now",
          "followup:replan",
          "knowledge:ingest",
          "knowledge:extract",
          "knowledge:crawl",
          "memory:summarize",
          "instagram:profile",
          "lead:facts",
          "summaries:schedule",
          "summary:weekly",
          "summary:now",
          "owner:send",
          "needs-you:email",
        ], concurrency: 2 }),
    );
  });

  it("sessions:purge-expired deletes expired sessions and keeps live ones", async () => {
    const now = Date.now();
    const { expired, live } = await t.db.asSystem(async (tx) => {
      const user = await tx.user.create({ data: { email: "sessions@example.com" } });
      const expired = await tx.session.create({ data: { userId: user.id, expiresAt: new Date(now - HOUR_MS) } });
      const live = await tx.session.create({ data: { userId: user.id, expiresAt: new Date(now + HOUR_MS) } });
      return { expired: expired.id, live: live.id };
    });

    const result = await runJob("sessions:purge-expired", {});

    expect(result.error).toBeNull();
    const left = await t.db.asSystem((tx) => tx.session.findMany({ select: { id: true } }));
    expect(left.map((s) => s.id)).toEqual([live]);
    expect(left.map((s) => s.id)).not.toContain(expired);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "expired sessions purged", count: 1, task: "sessions:purge-expired" }),
    );
  });

  it("finishes a job with an invalid payload once, without retries, and keeps working", async () => {
    const job = await runner.addJob("sessions:purge-expired", { _cron: "not an object" });
    await vi.waitFor(() => expect(completed.has(job.id)).toBe(true), { timeout: 15_000, interval: 20 });

    expect(completed.get(job.id)!.error).toBeNull();
    expect(failedAttempts).not.toContain(job.id);
    // The completion is recorded a moment after the job:complete event.
    await vi.waitFor(async () => expect(await jobExists(job.id)).toBe(false), { timeout: 15_000, interval: 20 });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "job payload invalid; dropping job",
        jobId: job.id,
        issues: [expect.objectContaining({ path: "_cron" })],
      }),
    );

    // The worker is still alive and serving the queue.
    await expect(runJob("sessions:purge-expired", {})).resolves.toEqual({ error: null });
  });
});

describe("queue access check", () => {
  it("refuses to start when row-level security hides the queue from its role", async () => {
    const policy = "audnix_app_worker_access ON graphile_worker._private_jobs";
    await withClient(t.adminUrl, (c) => c.query(`DROP POLICY ${policy}`));
    try {
      const logger = createLogger({ level: "info", sink: () => {} });
      await expect(startWorker({ env: { WORKER_CONCURRENCY: 1 }, db: t.db, logger })).rejects.toThrow(
        "The database role cannot use graphile-worker's queue",
      );
    } finally {
      await withClient(t.adminUrl, (c) => c.query(`CREATE POLICY ${policy} TO audnix_app USING (true) WITH CHECK (true)`));
    }
  });
});

describe("worker process", () => {
  const tsxCli = path.join(
    path.dirname(createRequire(import.meta.url).resolve("tsx/package.json")),
    "dist/cli.mjs",
  );

  // Developers launch with the tsx CLI, which relays signals to a child process; `pnpm start`
  // uses `node --import tsx` (one process). Both must shut down the same way.
  const launchers: Record<string, string[]> = {
    "tsx src/main.ts": [tsxCli, "src/main.ts"],
    "node --import tsx src/main.ts": ["--import", "tsx", "src/main.ts"],
  };

  function startProcess(env: Record<string, string>, args: string[] = launchers["tsx src/main.ts"]!) {
    const child = spawn(process.execPath, args, {
      cwd: appDir,
      env: { ...process.env, NODE_ENV: "test", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    captureChildOutput("worker", [child.stdout, child.stderr]);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // "close" rather than "exit": it fires after the last output has been read.
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    // Complete lines only: the last chunk may end mid-line.
    const lines = () =>
      stdout
        .split("\n")
        .slice(0, -1)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const output = () => stdout + stderr;
    /** Resolves when a line with `msg` appears; fails at once, with the output, if the process exits first. */
    async function waitForLine(msg: string, timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!lines().some((line) => line.msg === msg)) {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before "${msg}":\n${output()}`);
        if (Date.now() > deadline) throw new Error(`no "${msg}" within ${timeoutMs} ms:\n${output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return { child, exited, lines, output, waitForLine };
  }

  function expectNoPassword(output: string, password: string) {
    expect(password.length).toBeGreaterThan(0);
    expect(output).not.toContain(password);
    expect(output).not.toContain(encodeURIComponent(password));
  }

  it.each(Object.keys(launchers))("%s: ready, stops on SIGTERM, never prints the password", async (launcher) => {
    const password = decodeURIComponent(new URL(t.appUrl).password);
    const env = { DATABASE_URL: t.appUrl, LOG_LEVEL: "debug", WORKER_CONCURRENCY: "2" };
    const proc = startProcess(env, launchers[launcher]);
    try {
      await proc.waitForLine("worker ready");
      proc.child.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
    } finally {
      proc.child.kill("SIGKILL");
    }

    const messages = proc.lines().map((line) => line.msg);
    expect(messages).toContain("shutting down");
    expect(messages.at(-1)).toBe("stopped");
    // The connection URL is logged on start, so redaction is exercised, not just unneeded.
    const starting = proc.lines().find((line) => line.msg === "starting");
    expect(starting?.database).toContain("[redacted]");
    expectNoPassword(proc.output(), password);
  });

  it("exits 1 with a readable list on invalid configuration", async () => {
    const proc = startProcess({ DATABASE_URL: "", WORKER_CONCURRENCY: "lots" });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain("Invalid configuration:\n - DATABASE_URL: is required\n - WORKER_CONCURRENCY:");
    expect(proc.output()).not.toContain("lots");
  });

  it("refuses to start on a superuser DATABASE_URL (row-level security would be off), exit 1, saying why", async () => {
    const proc = startProcess({ DATABASE_URL: t.adminUrl });
    expect(await proc.exited).toBe(1);
    expect(proc.lines()).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "worker failed to start",
        err: expect.objectContaining({ message: expect.stringMatching(/bypasses row-level security/) }),
      }),
    );
    expect(proc.lines().map((line) => line.msg)).not.toContain("worker ready");
    expectNoPassword(proc.output(), decodeURIComponent(new URL(t.adminUrl).password));
  });

  it("exits 1 and logs the failure, redacted, when the database is unreachable", async () => {
    const unreachable = new URL(t.appUrl);
    unreachable.pathname = "/audnix_database_that_does_not_exist";
    const proc = startProcess({ DATABASE_URL: unreachable.toString() });
    expect(await proc.exited).toBe(1);
    expect(proc.lines()).toContainEqual(expect.objectContaining({ level: "error", msg: "worker failed to start" }));
    expectNoPassword(proc.output(), decodeURIComponent(unreachable.password));
  });
});
