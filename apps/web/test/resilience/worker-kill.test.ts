// Check 3 (docs/decisions/0017): the worker process is SIGKILLed while the vendor holds its send,
// trial after trial; each restarted worker frees the dead one's job. The vendor must have each
// message once, and every cut-off send must read "unconfirmed" on its message.
import { useTestDatabase } from "@audnix/db/testing";
import { expect, it, vi } from "vitest";
import { instagramLeadWrote } from "../../../jobs/test/integration/follow-up-fixtures.ts";
import type { JobsWorker } from "../e2e/jobs-worker.ts";
import { recordFigures, tally } from "./figures.ts";
import { scale } from "./scale.ts";
import { outboundDeliveryStatuses, sendReached, sendsPerRecipient, sendTotals, startWorker, useSendStage } from "./worker-harness.ts";

const CHECK = "3 worker SIGKILLed mid-send";
// How long a restarted worker may take to free the killed one's job and settle it.
const RECOVERY_TIMEOUT_MS = 30_000;

const database = useTestDatabase();
const stage = useSendStage(database, "Crash Trials Co");

it(`${CHECK}: no duplicate at the vendor, every cut-off send unconfirmed`, async ({ task }) => {
  const { instagram, owner } = stage();
  const leads: { id: string; recipient: string }[] = [];
  let worker: JobsWorker = await startWorker(database, instagram);
  let killed = 0;
  let settled = false;
  try {
    for (let trial = 0; trial < scale.killTrials; trial++) {
      const held = instagram.holdSends();
      const recipient = `igsid-kill-${trial}`;
      leads.push({ recipient, id: await instagramLeadWrote(database.db, owner, { senderId: recipient, senderName: `Lead ${trial}`, text: "Hi, are you open on Sunday?" }) });
      // The send left the worker and reached the vendor, whose answer is held back: kill now.
      await sendReached(held, worker);
      await worker.kill();
      killed += 1;
      held.release();
      worker = await startWorker(database, instagram);
    }
    // The last worker frees the last killed job; every earlier one was freed by its successor.
    settled = await vi
      .waitFor(
        async () => {
          for (const lead of leads) expect(await outboundDeliveryStatuses(database.db, lead.id)).not.toContain("pending");
        },
        { timeout: RECOVERY_TIMEOUT_MS, interval: 100 },
      )
      .then(
        () => true,
        () => false,
      );
  } finally {
    await worker.stop();
  }

  const sends = sendsPerRecipient(instagram, leads.map((lead) => lead.recipient));
  const statuses = await Promise.all(leads.map((lead) => outboundDeliveryStatuses(database.db, lead.id)));
  const totals = sendTotals(sends);
  recordFigures(task, CHECK, [
    ["trials (SIGKILLs)", killed],
    ["sends at the vendor / leads", `${totals.total} / ${leads.length}`],
    ["duplicates at the vendor", totals.duplicates],
    ["cut-off sends settled by the next worker", settled ? "yes" : `no (within ${RECOVERY_TIMEOUT_MS / 1000} s)`],
    ["outbound messages recorded", statuses.flat().length],
    ["delivery status of cut-off sends", tally(statuses.flat())],
  ]);

  expect.soft(settled, "every cut-off send settled (no message left pending)").toBe(true);
  expect.soft(sends, "sends per recipient at the vendor").toEqual(Object.fromEntries(leads.map((lead) => [lead.recipient, 1])));
  expect.soft(statuses, "each lead's outbound messages").toEqual(leads.map(() => ["unconfirmed"]));
});
