// Check 5 (docs/decisions/0017): the vendor takes every message but answers only after the
// sender's deadline. The worker must not send any of them again: each stays one message at the
// vendor and reads "unconfirmed" on the lead (issue 10: 5 leads had got 10 sends).
import { useTestDatabase } from "@audnix/db/testing";
import { expect, it, vi } from "vitest";
import { instagramLeadWrote } from "../../../jobs/test/integration/follow-up-fixtures.ts";
import { recordFigures, tally } from "./figures.ts";
import { scale } from "./scale.ts";
import { outboundDeliveryStatuses, sendsPerRecipient, sendTotals, startWorker, useSendStage } from "./worker-harness.ts";

const CHECK = "5 slow vendor";
// Far past any sender deadline: the answer never arrives while the sender still waits.
const SLOW_ANSWER_MS = 120_000;
// Sends time out one after the other (worker concurrency 2); this bounds the whole wait.
const SETTLE_TIMEOUT_MS = 150_000;
// After the last timeout the worker keeps running this long: a retry (graphile-worker backs off
// e^1 = 2.7 s after a first failure) would send again within it.
const RESEND_WATCH_MS = 4_000;

const database = useTestDatabase();
const stage = useSendStage(database, "Slow Vendor Co");

it(`${CHECK}: an answer after the timeout is never followed by a second send`, async ({ task }) => {
  const { instagram, owner } = stage();
  instagram.answerSendsAfter(SLOW_ANSWER_MS);
  const recipients = Array.from({ length: scale.slowVendorLeads }, (_, n) => `igsid-slow-${n}`);
  const leads = await Promise.all(
    recipients.map((senderId, n) => instagramLeadWrote(database.db, owner, { senderId, senderName: `Lead ${n}`, text: "Hi! What are your prices?" })),
  );
  const started = performance.now();
  const worker = await startWorker(database, instagram, scale.sendTimeoutSeconds === null ? {} : { SEND_TIMEOUT_SECONDS: String(scale.sendTimeoutSeconds) });
  let settled = false;
  try {
    settled = await vi
      .waitFor(
        async () => {
          for (const leadId of leads) expect(await outboundDeliveryStatuses(database.db, leadId)).toEqual([expect.not.stringMatching(/^pending$/)]);
        },
        { timeout: SETTLE_TIMEOUT_MS, interval: 200 },
      )
      .then(
        () => true,
        () => false,
      );
    await new Promise((resolve) => setTimeout(resolve, RESEND_WATCH_MS));
  } finally {
    await worker.stop();
    instagram.answerSendsAfter(null);
  }

  const sends = sendsPerRecipient(instagram, recipients);
  const statuses = await Promise.all(leads.map((leadId) => outboundDeliveryStatuses(database.db, leadId)));
  const totals = sendTotals(sends);
  recordFigures(task, CHECK, [
    ["leads", leads.length],
    ["sends at the vendor", totals.total],
    ["duplicates at the vendor", totals.duplicates],
    ["every send settled", settled ? `yes, after ${Math.round((performance.now() - started) / 1000)} s` : `no (within ${SETTLE_TIMEOUT_MS / 1000} s)`],
    ["delivery status", tally(statuses.flat())],
  ]);

  expect.soft(settled, "every send settled (no message left pending)").toBe(true);
  expect.soft(sends, "sends per recipient at the vendor").toEqual(Object.fromEntries(recipients.map((id) => [id, 1])));
  expect.soft(statuses, "each lead's outbound messages").toEqual(leads.map(() => ["unconfirmed"]));
});
