// Real worker processes on one database: a worker SIGKILLed while the vendor holds its send (the
// restarted worker must neither resend nor stall for graphile-worker's 4 h lock expiry), and two
// workers racing for the same steps. Real Postgres, the Instagram fake.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stepJobKey } from "@audnix/core";
import { useTestDatabase } from "@audnix/db/testing";
import { startFakeInstagram, type FakeInstagram } from "@audnix/integrations";
import { captureChildOutput, recordTestSecret } from "@audnix/integrations/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectFakeInstagram,
  createOwner,
  followUpsOf,
  instagramLeadWrote,
  jobsWithKey,
  makeAllJobsDue,
  outboundMessages,
  saveBrand,
  testEncryptionKey,
} from "./follow-up-fixtures.ts";

const appDir = path.resolve(fileURLToPath(import.meta.url), "../../..");
// Each test starts one or two worker processes (tsx, a few seconds each on a loaded shared machine)
// and waits for them to work through real jobs: more than the integration default of 30 s.
const PROCESS_TEST_TIMEOUT_MS = 90_000;

const t = useTestDatabase();
let instagram: FakeInstagram;
// One owner for the file: an Instagram account can belong to one Audnix account only.
let owner: string;

beforeAll(async () => {
  recordTestSecret(new URL(t.appUrl).password);
  instagram = await startFakeInstagram();
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { brandName: "Crash Co" });
  await connectFakeInstagram(t.db, owner, instagram);
});

afterAll(async () => {
  await instagram?.close();
});

function startWorkerProcess(name: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: appDir,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: t.appUrl,
      ENCRYPTION_KEY: testEncryptionKey,
      INSTAGRAM_GRAPH_BASE_URL: instagram.url,
      WORKER_CONCURRENCY: "2",
      WORKER_HEARTBEAT_SECONDS: "0.2",
      // Well above a busy CI machine's event-loop stalls: a live worker judged dead has its send
      // marked unconfirmed, which now flags the lead for the owner and holds its steps.
      WORKER_STALE_AFTER_SECONDS: "4",
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

/** Polls `check` until it holds or the deadline passes (the other process works on its own time). */
async function eventually(check: () => Promise<boolean>, what: string, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a worker killed mid-send", () => {
  it("is recovered by the next worker: one message at the vendor, and the sequence continues", { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const leadId = await instagramLeadWrote(t.db, owner, { senderId: "igsid-crash", senderName: "Ana Ruiz", text: "Hi, are you open on Sunday?" });

    const held = instagram.holdSends();
    const first = startWorkerProcess("worker-killed");
    try {
      await held.received;
      first.child.kill("SIGKILL");
      await first.exited;
    } finally {
      first.child.kill("SIGKILL");
    }
    held.release();
    // The send reached the vendor, but the worker died before it could record the answer.
    expect(await outboundMessages(t.db, owner, leadId)).toEqual([
      expect.objectContaining({ deliveryStatus: "pending" }),
    ]);

    const second = startWorkerProcess("worker-restarted");
    try {
      await eventually(
        async () => (await followUpsOf(t.db, owner, leadId)).some((row) => row.step === 1 && row.status === "planned"),
        "step 1 to be planned",
        second.output,
      );
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }

    expect(instagram.sentMessages.filter((sent) => sent.recipientId === "igsid-crash")).toHaveLength(1);
    const messages = await outboundMessages(t.db, owner, leadId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ deliveryStatus: "unconfirmed", failureReason: "the worker stopped while the message was being sent" });
    expect(await jobsWithKey(t.db, stepJobKey(leadId, 1))).toHaveLength(1);
    expect(second.output()).toContain("released jobs of stale workers");
  });
});

describe("two worker processes on one database", () => {
  it("never send a step twice, even when every step is queued three times", { timeout: PROCESS_TEST_TIMEOUT_MS }, async () => {
    const recipients = Array.from({ length: 8 }, (_, i) => `igsid-race-process-${i}`);
    const leads = await Promise.all(
      recipients.map((senderId, i) => instagramLeadWrote(t.db, owner, { senderId, senderName: `Lead ${i}`, text: "Hi there!" })),
    );
    const workers = [startWorkerProcess("worker-race-a"), startWorkerProcess("worker-race-b")];
    const output = () => workers.map((worker) => worker.output()).join("\n");
    const stepStatuses = async () => Promise.all(leads.map((leadId) => followUpsOf(t.db, owner, leadId)));
    try {
      await eventually(
        async () => (await stepStatuses()).every((rows) => rows.some((row) => row.step === 1 && row.status === "planned")),
        "every lead to be answered and step 1 planned",
        output,
      );
      // Each planned step twice more, without a job key, so both processes are offered every step.
      await t.db.pool.query(
        `SELECT graphile_worker.add_job('followup:step', json_build_object('followUpId', id, 'userId', user_id))
           FROM follow_ups, generate_series(1, 2) WHERE status = 'planned' AND lead_id = ANY($1::uuid[])`,
        [leads],
      );
      await makeAllJobsDue(t.db);
      await eventually(
        async () => (await stepStatuses()).every((rows) => rows.some((row) => row.step === 2 && row.status === "planned")),
        "every step 1 to be sent and step 2 planned",
        output,
      );
    } finally {
      for (const worker of workers) worker.child.kill("SIGTERM");
      await Promise.all(workers.map((worker) => worker.exited));
    }

    for (const recipient of recipients) {
      // The reply and step 1: one message each, whichever process took the jobs.
      expect(instagram.sentMessages.filter((sent) => sent.recipientId === recipient), recipient).toHaveLength(2);
    }
    for (const rows of await stepStatuses()) {
      expect(rows.filter((row) => row.step === 1 && row.status === "sent")).toHaveLength(1);
    }
  });
});
