// A vendor that takes the message and answers after the sender's timeout (docs/decisions/0011):
// the real worker must never send it again. Real Postgres, graphile-worker's runner, the Instagram
// fake and a real SMTP server, each holding its answer past the timeout after keeping the message.
import { createLogger, replyJobKey } from "@audnix/core";
import { useTestDatabase } from "@audnix/db/testing";
import { startFakeInstagram, startFakeSmtpServer, type FakeInstagram, type FakeSmtpServer } from "@audnix/integrations";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorker } from "../../src/worker.ts";
import {
  connectFakeSmtp,
  connectFakeInstagram,
  createEngine,
  createOwner,
  instagramLeadWrote,
  jobsWithKey,
  leadWrote,
  outboundMessages,
  saveBrand,
} from "./follow-up-fixtures.ts";

// Long enough for a loaded machine to get every request to the vendor (a request cut off before it
// left is unconfirmed too, but then it would not be at the vendor to count).
const SEND_TIMEOUT_MS = 2_000;
// Well past the timeout: the worker has given up on every send before any answer comes.
const VENDOR_ANSWERS_AFTER_MS = 20_000;
const INBOX = "hello@slow.example";
const LEADS = 5;

const t = useTestDatabase();
let instagram: FakeInstagram;
let smtp: FakeSmtpServer;
let runner: Runner;
let owner: string;

beforeAll(async () => {
  instagram = await startFakeInstagram();
  smtp = await startFakeSmtpServer();
  owner = await createOwner(t.db);
  await saveBrand(t.db, owner, { brandName: "Slow Co" });
  await connectFakeInstagram(t.db, owner, instagram);
  await connectFakeSmtp(t.db, owner, smtp, { inbox: INBOX, fromName: "Slow Co" });
  instagram.answerSendsAfter(VENDOR_ANSWERS_AFTER_MS);
  smtp.answerDataAfter(VENDOR_ANSWERS_AFTER_MS);
  const engine = createEngine(t.db, { instagramGraphBaseUrl: instagram.url, sendTimeoutMs: SEND_TIMEOUT_MS });
  runner = await startWorker({
    env: { WORKER_CONCURRENCY: LEADS },
    db: t.db,
    logger: createLogger({ level: "error", sink: () => {} }),
    followUpServices: engine.services,
  });
});

afterAll(async () => {
  await runner?.stop();
  await instagram?.close();
  await smtp?.close();
});

/**
 * Waits until every lead's reply is settled (no longer pending) and its reply job is gone. The job
 * row outlives the settling commit by a moment (graphile-worker completes finished jobs in
 * batches), so both are waited for; a retry would keep the lead's reply job, and the wait fails.
 */
async function settle(leads: string[]): Promise<void> {
  const settled = async () => {
    const messages = await Promise.all(leads.map((leadId) => outboundMessages(t.db, owner, leadId)));
    return messages.every((rows) => rows.length > 0 && rows.every((row) => row.deliveryStatus !== "pending"));
  };
  await vi.waitFor(async () => expect(await settled()).toBe(true), { timeout: 30_000, interval: 50 });
  await vi.waitFor(
    async () => {
      for (const leadId of leads) expect(await jobsWithKey(t.db, replyJobKey(leadId))).toEqual([]);
    },
    { timeout: 10_000, interval: 100 },
  );
}

async function expectUnconfirmedOnce(leads: string[], reason: string): Promise<void> {
  for (const leadId of leads) {
    expect(await outboundMessages(t.db, owner, leadId)).toEqual([
      expect.objectContaining({ deliveryStatus: "unconfirmed", failureReason: reason, providerMessageId: null }),
    ]);
  }
}

describe("a vendor that answers after the send timeout", () => {
  it("Instagram: 5 leads, 5 messages at the vendor, 5 marked unconfirmed", async () => {
    const recipients = Array.from({ length: LEADS }, (_, i) => `igsid-slow-${i}`);
    const leads = await Promise.all(recipients.map((senderId, i) => instagramLeadWrote(t.db, owner, { senderId, senderName: `Lead ${i}`, text: "Hi, still open?" })));

    await settle(leads);

    expect(instagram.sentMessages.filter((sent) => recipients.includes(sent.recipientId))).toHaveLength(LEADS);
    await expectUnconfirmedOnce(leads, "Instagram did not answer in time; the message may have been delivered");
  });

  it("SMTP: 5 leads, 5 emails kept by the server, 5 marked unconfirmed", async () => {
    const addresses = Array.from({ length: LEADS }, (_, i) => `lead-${i}@slow-mail.example`);
    const leads = await Promise.all(
      addresses.map((address, i) =>
        leadWrote(t.db, owner, { channel: "email", accountId: INBOX, senderId: address, senderName: `Lead ${i}`, senderEmail: address, text: "Hello, prices?" }),
      ),
    );

    await settle(leads);

    expect(smtp.messages.filter((mail) => mail.envelope.rcptTo.some((to) => addresses.includes(to)))).toHaveLength(LEADS);
    await expectUnconfirmedOnce(leads, "the SMTP server did not confirm the message (ETIMEDOUT); it may have been delivered");
  });
});
