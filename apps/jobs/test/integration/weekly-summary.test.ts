// The weekly summary end to end on real parts: Postgres (rows, rollups, the unique key), real
// graphile-worker (in process and as two separate processes) and the fake SMTP server as the
// platform's mail server.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, latestDueWeek, SUMMARY_NOW_TASK, WEEKLY_SUMMARY_SCHEDULE_TASK, WEEKLY_SUMMARY_TASK, weekContaining } from "@audnix/core";
import { rebuildAnalyticsRollups, requestWeekToDateSummary, type Db } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { createSmtpPlatformMailer, startFakeSmtpServer, type FakeSmtpServer } from "@audnix/integrations";
import { captureChildOutput, recordTestSecret } from "@audnix/integrations/testing";
import type { Runner } from "graphile-worker";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorker } from "../../src/worker.ts";
import { createOwner, leadWrote, saveBrand, testEncryptionKey } from "./follow-up-fixtures.ts";

const appDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
const PROCESS_TEST_TIMEOUT_MS = 90_000;
const PLATFORM = { user: "mailer@audnix.example", password: "platform-smtp-test-password" };
const DAY_MS = 24 * 60 * 60 * 1000;

const t = useTestDatabase();
let smtp: FakeSmtpServer;

beforeAll(async () => {
  recordTestSecret(new URL(t.appUrl).password);
  recordTestSecret(PLATFORM.password);
  smtp = await startFakeSmtpServer({ users: [PLATFORM] });
});

afterAll(async () => {
  await smtp?.close();
});

const platformSmtpUrl = () => `smtp://${encodeURIComponent(PLATFORM.user)}:${PLATFORM.password}@${smtp.host}:${smtp.port}`;
const emailsTo = (address: string) => smtp.messages.filter((message) => message.envelope.rcptTo.includes(address));

/** An owner whose account predates last week, with leads who wrote during it (two asking the same question). */
async function ownerWithAWeek(db: Db, name: string, options: { weeklySummaryEnabled?: boolean } = {}): Promise<{ userId: string; email: string }> {
  const email = `${name}@owner.example`;
  const userId = await createOwner(db, email);
  await db.asSystem((tx) => tx.user.update({ where: { id: userId }, data: { createdAt: new Date("2026-01-05T00:00:00Z") } }));
  await saveBrand(db, userId, { brandName: `${name} Studio` });
  if (options.weeklySummaryEnabled === false) await db.asUser(userId, (tx) => tx.brandSettings.update({ where: { userId }, data: { weeklySummaryEnabled: false } }));
  const week = latestDueWeek(new Date(), "UTC");
  const midweek = week.start.getTime() + 2 * DAY_MS + 10 * 60 * 60 * 1000;
  for (const [index, text] of ["How much is a class?", "how much is a class", "Thanks, see you Thursday."].entries()) {
    await leadWrote(db, userId, { channel: "sandbox", accountId: userId, senderId: `${name}-lead-${index}`, senderName: `Lead ${index}`, text, ago: Date.now() - midweek });
  }
  // The leads were created now; they arrived last week. The rollups follow once rebuilt.
  await db.asUser(userId, (tx) => tx.lead.updateMany({ data: { createdAt: new Date(midweek) } }));
  await rebuildAnalyticsRollups(db, { userId });
  return { userId, email };
}

function summariesOf(db: Db, userId: string) {
  return db.asUser(userId, (tx) => tx.weeklySummary.findMany({ orderBy: { createdAt: "asc" } }));
}

async function addJob(db: Db, task: string, payload: unknown): Promise<void> {
  await db.pool.query("SELECT graphile_worker.add_job($1, $2::json)", [task, JSON.stringify(payload)]);
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, output: () => string = () => "", timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("weekly summary in one worker", () => {
  let runner: Runner;
  const completed: Array<{ task: string; error: unknown }> = [];

  beforeAll(async () => {
    const logger = createLogger({ level: "warn", sink: () => {} });
    const platformMailer = createSmtpPlatformMailer({ smtp: { host: smtp.host, port: smtp.port, secure: false, ...PLATFORM }, from: { address: "summaries@audnix.example", name: "Audnix" } });
    runner = await startWorker({ env: { WORKER_CONCURRENCY: 2 }, db: t.db, logger, platformMailer });
    runner.events.on("job:complete", ({ job, error }) => completed.push({ task: job.task_identifier, error }));
  });

  afterAll(async () => {
    await runner?.stop();
  });

  afterEach(() => {
    completed.length = 0;
  });

  it("emails last week's numbers, questions and narrative once, however often the scheduler runs", async () => {
    const owner = await ownerWithAWeek(t.db, "maya");
    await addJob(t.db, WEEKLY_SUMMARY_SCHEDULE_TASK, {});
    await eventually(async () => (await summariesOf(t.db, owner.userId))[0]?.status === "sent", "the summary to be sent");
    await addJob(t.db, WEEKLY_SUMMARY_SCHEDULE_TASK, {});
    await eventually(() => completed.filter((job) => job.task === WEEKLY_SUMMARY_SCHEDULE_TASK).length === 2, "the second scheduler run");

    const rows = await summariesOf(t.db, owner.userId);
    expect(rows.map((row) => [row.kind, row.status])).toEqual([["weekly", "sent"]]);
    const emails = emailsTo(owner.email);
    expect(emails).toHaveLength(1);
    const text = emails[0]!.parsed.text ?? "";
    expect(emails[0]!.parsed.subject).toBe("Your week at maya Studio: 3 new leads");
    expect(text).toContain("3 new leads wrote to maya Studio last week (0 before).");
    expect(text).toContain("- New leads: 3 (0 the week before)");
    expect(text).toContain('- Asked 2 times: "How much is a class?"');
    expect(text).toContain(`/dashboard/summaries/${rows[0]!.id}`);
  });

  it("sends once after a refusal the server asked to retry, and never resends an email a crash left unconfirmed", { timeout: 60_000 }, async () => {
    const owner = await ownerWithAWeek(t.db, "noor");
    const weekStart = latestDueWeek(new Date(), "UTC").weekStart;
    smtp.rejectNext({ code: 451, message: "4.3.0 Try again later" });
    await addJob(t.db, WEEKLY_SUMMARY_TASK, { userId: owner.userId, weekStart });
    await eventually(async () => (await summariesOf(t.db, owner.userId))[0]?.status === "sent", "the retried summary to be sent", () => JSON.stringify(completed), 45_000);
    expect(completed.find((job) => job.task === WEEKLY_SUMMARY_TASK)?.error).toBeTruthy();
    expect(emailsTo(owner.email)).toHaveLength(1);

    // A worker that died between claiming and settling leaves "sending": the next run calls it unconfirmed.
    const other = await ownerWithAWeek(t.db, "ravi");
    const [sent] = await summariesOf(t.db, owner.userId);
    await t.db.asUser(other.userId, (tx) =>
      tx.weeklySummary.create({
        data: { userId: other.userId, kind: "weekly", weekStart: new Date(`${weekStart}T00:00:00Z`), periodEnd: sent!.periodEnd, status: "sending", content: sent!.content ?? {} },
      }),
    );
    await addJob(t.db, WEEKLY_SUMMARY_TASK, { userId: other.userId, weekStart });
    await eventually(async () => (await summariesOf(t.db, other.userId))[0]?.status === "unconfirmed", "the cut-off summary to be unconfirmed");
    expect(emailsTo(other.email)).toHaveLength(0);
  });

  it("makes and sends nothing for an owner who turned weekly summaries off", async () => {
    const owner = await ownerWithAWeek(t.db, "lena", { weeklySummaryEnabled: false });
    await addJob(t.db, WEEKLY_SUMMARY_SCHEDULE_TASK, {});
    await addJob(t.db, WEEKLY_SUMMARY_TASK, { userId: owner.userId, weekStart: latestDueWeek(new Date(), "UTC").weekStart });
    await eventually(() => completed.filter((job) => job.task === WEEKLY_SUMMARY_TASK || job.task === WEEKLY_SUMMARY_SCHEDULE_TASK).length >= 2, "both jobs");
    expect(await summariesOf(t.db, owner.userId)).toEqual([]);
    expect(emailsTo(owner.email)).toHaveLength(0);
  });

  it("sends this week's summary so far on request, again on a second request, without using up the Monday one", { timeout: 60_000 }, async () => {
    const owner = await ownerWithAWeek(t.db, "omar");
    const weekStart = weekContaining(new Date(), "UTC").weekStart;
    const first = await requestWeekToDateSummary(t.db, { userId: owner.userId, weekStart, now: new Date() });
    expect(first).toMatchObject({ ok: true, revision: 1 });
    // A second press while the first is on its way is refused, not queued twice.
    expect(await requestWeekToDateSummary(t.db, { userId: owner.userId, weekStart, now: new Date() })).toEqual({ ok: false, reason: "in_progress" });
    await eventually(() => emailsTo(owner.email).length === 1, "the week-to-date email");
    expect(emailsTo(owner.email)[0]!.parsed.subject).toBe("Your week so far at omar Studio: 0 new leads");
    expect(emailsTo(owner.email)[0]!.parsed.text).toContain("your weekly summary still arrives on Monday");

    await eventually(async () => (await summariesOf(t.db, owner.userId))[0]?.status === "sent", "the first request to settle");
    expect(await requestWeekToDateSummary(t.db, { userId: owner.userId, weekStart, now: new Date() })).toMatchObject({ ok: true, revision: 2 });
    await eventually(() => emailsTo(owner.email).length === 2, "the second week-to-date email");
    expect(completed.filter((job) => job.task === SUMMARY_NOW_TASK).every((job) => !job.error)).toBe(true);

    await addJob(t.db, WEEKLY_SUMMARY_SCHEDULE_TASK, {});
    await eventually(() => emailsTo(owner.email).length === 3, "the weekly summary");
    expect((await summariesOf(t.db, owner.userId)).map((row) => row.kind).sort()).toEqual(["week_to_date", "weekly"]);
  });
});

describe("weekly summary across two worker processes", () => {
  function startWorkerProcess(name: string) {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: appDir,
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: t.appUrl,
        ENCRYPTION_KEY: testEncryptionKey,
        PLATFORM_SMTP_URL: platformSmtpUrl(),
        PLATFORM_EMAIL_FROM: "Audnix <summaries@audnix.example>",
        WORKER_CONCURRENCY: "2",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    captureChildOutput(name, [child.stdout, child.stderr]);
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
    return { child, exited, output: () => output };
  }

  it("makes one summary and sends one email when both workers schedule and run the same owner's week", { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const owner = await ownerWithAWeek(t.db, "priya");
    const weekStart = latestDueWeek(new Date(), "UTC").weekStart;
    // Each worker's scheduler run, plus two summary jobs without the job key (what a duplicate
    // delivery or a replaced running job gives): all four race on two processes.
    for (let i = 0; i < 2; i += 1) {
      await addJob(t.db, WEEKLY_SUMMARY_SCHEDULE_TASK, {});
      await addJob(t.db, WEEKLY_SUMMARY_TASK, { userId: owner.userId, weekStart });
    }
    const workers = [startWorkerProcess("summary-worker-a"), startWorkerProcess("summary-worker-b")];
    const output = () => workers.map((worker) => worker.output()).join("\n");
    try {
      await eventually(async () => {
        const { rows } = await t.db.pool.query<{ count: string }>("SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier LIKE 'summar%'");
        return rows[0]?.count === "0";
      }, "every summary job to finish", output, 60_000);
      const rows = await summariesOf(t.db, owner.userId);
      expect(rows.map((row) => [row.kind, row.status])).toEqual([["weekly", "sent"]]);
      expect(emailsTo(owner.email)).toHaveLength(1);
      expect(emailsTo(owner.email)[0]!.envelope.mailFrom).toBe("summaries@audnix.example");
      expect(output()).not.toContain(PLATFORM.password);
    } finally {
      for (const worker of workers) worker.child.kill("SIGTERM");
      await Promise.all(workers.map((worker) => worker.exited));
    }
  });
});
