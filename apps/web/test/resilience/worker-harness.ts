import type { Db } from "@audnix/db";
import type { FileTestDatabase } from "@audnix/db/testing";
import { startFakeInstagram, type FakeInstagram, type FakeInstagramHeldSends } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import { afterAll, beforeAll } from "vitest";
import { connectFakeInstagram, createOwner, saveBrand, testEncryptionKey } from "../../../jobs/test/integration/follow-up-fixtures.ts";
import { startJobsWorker, type JobsWorker } from "../e2e/jobs-worker.ts";

// The send checks' setup: one owner whose Instagram is connected to the Instagram fake, and real
// worker processes (`src/main.ts`, as production starts them) on the file's database.

export interface SendStage {
  instagram: FakeInstagram;
  owner: string;
}

export function useSendStage(database: FileTestDatabase, brandName: string): () => SendStage {
  let stage: SendStage | undefined;
  beforeAll(async () => {
    recordTestSecret(new URL(database.appUrl).password);
    const instagram = await startFakeInstagram();
    const owner = await createOwner(database.db);
    await saveBrand(database.db, owner, { brandName });
    await connectFakeInstagram(database.db, owner, instagram);
    stage = { instagram, owner };
  });
  afterAll(async () => {
    await stage?.instagram.close();
  });
  return () => {
    if (!stage) throw new Error("the send stage is ready only inside tests (after beforeAll)");
    return stage;
  };
}

/**
 * A worker process on the file's database; it frees the jobs of a killed predecessor within a
 * second (heartbeat 0.2 s, stale after 1 s) instead of graphile-worker's 4 h lock expiry.
 */
export function startWorker(database: FileTestDatabase, instagram: FakeInstagram, env: Record<string, string> = {}): Promise<JobsWorker> {
  return startJobsWorker({
    DATABASE_URL: database.appUrl,
    ENCRYPTION_KEY: testEncryptionKey,
    INSTAGRAM_GRAPH_BASE_URL: instagram.url,
    WORKER_HEARTBEAT_SECONDS: "0.2",
    WORKER_STALE_AFTER_SECONDS: "1",
    ...env,
  });
}

/** The delivery status of each outbound message of the lead (the typed column the lead page shows). */
export async function outboundDeliveryStatuses(db: Db, leadId: string): Promise<(string | null)[]> {
  // Raw SQL on purpose: the check reads the column itself, whatever the generated client knows.
  const rows = await db.asSystem((tx) =>
    tx.$queryRaw<{ status: string | null }[]>`
      SELECT delivery_status::text AS status FROM messages
       WHERE lead_id = ${leadId}::uuid AND direction = 'outbound' ORDER BY sent_at`,
  );
  return rows.map((row) => row.status);
}

/** How many times the fake received a send for each recipient: 1 each means no duplicate. */
export function sendsPerRecipient(instagram: FakeInstagram, recipients: readonly string[]): Record<string, number> {
  return Object.fromEntries(recipients.map((id) => [id, instagram.sentMessages.filter((sent) => sent.recipientId === id).length]));
}

// A worker that never sends is a failure to report, not a test that hangs until its timeout.
const SEND_ARRIVAL_TIMEOUT_MS = 30_000;

/** Resolves once the held send reached the vendor; throws with the worker's output if it never does. */
export async function sendReached(held: FakeInstagramHeldSends, worker: JobsWorker): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no send reached the vendor within ${SEND_ARRIVAL_TIMEOUT_MS} ms:\n${worker.output()}`)), SEND_ARRIVAL_TIMEOUT_MS);
  });
  try {
    await Promise.race([held.received, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Total sends and sends beyond the first per recipient (the duplicates a lead would notice). */
export function sendTotals(sends: Record<string, number>): { total: number; duplicates: number } {
  const counts = Object.values(sends);
  return { total: counts.reduce((sum, count) => sum + count, 0), duplicates: counts.reduce((sum, count) => sum + Math.max(0, count - 1), 0) };
}
