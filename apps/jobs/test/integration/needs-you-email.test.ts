// The "Needs you" email alert on real parts: Postgres (the flag, its alert job queued by
// app_flag_needs_owner), graphile-worker and the fake SMTP server as the platform's mail server
// (docs/decisions/0027).
import { createLogger, NEEDS_YOU_EMAIL_TASK } from "@audnix/core";
import type { Db } from "@audnix/db";
import { useTestDatabase } from "@audnix/db/testing";
import { createSmtpPlatformMailer, startFakeSmtpServer, type FakeSmtpServer } from "@audnix/integrations";
import { recordTestSecret } from "@audnix/integrations/testing";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "../../src/worker.ts";
import { createOwner, MINUTE_MS } from "./follow-up-fixtures.ts";

const PLATFORM = { user: "alerts@audnix.example", password: "platform-smtp-alerts-password" };
const t = useTestDatabase();
let smtp: FakeSmtpServer;
let runner: Runner;
let owner: string;
const OWNER_EMAIL = "alerted-owner@shop.example";

beforeAll(async () => {
  recordTestSecret(new URL(t.appUrl).password);
  recordTestSecret(PLATFORM.password);
  smtp = await startFakeSmtpServer({ users: [PLATFORM] });
  owner = await createOwner(t.db, OWNER_EMAIL);
  await t.db.asSystem((tx) => tx.brandSettings.create({ data: { userId: owner, needsYouEmail: true } }));
  const platformMailer = createSmtpPlatformMailer({ smtp: { host: smtp.host, port: smtp.port, secure: false, ...PLATFORM }, from: { address: "alerts@audnix.example", name: "Audnix" } });
  runner = await startWorker({ env: { WORKER_CONCURRENCY: 1 }, db: t.db, logger: createLogger({ level: "warn", sink: () => {} }), platformMailer });
});

afterAll(async () => {
  await runner?.stop();
  await smtp?.close();
});

async function lead(name: string): Promise<string> {
  const row = await t.db.asSystem((tx) => tx.lead.create({ data: { userId: owner, externalId: `sandbox-${name}`, name, channel: "sandbox" } }));
  return row.id;
}

/** Flags the lead the one way the product does, as written that long ago (its alert job is due at once). */
function flag(db: Db, leadId: string, reason: "wrote_while_paused" | "send_failed", agoMs = 10 * MINUTE_MS) {
  return db.asUser(owner, (tx) => tx.$executeRaw`SELECT app_flag_needs_owner(${owner}::uuid, ${leadId}::uuid, ${reason}::"NeedsOwnerReason", NULL, ${new Date(Date.now() - agoMs)})`);
}

const alertsTo = (address: string) => smtp.messages.filter((message) => message.envelope.rcptTo.includes(address));

/** Resolves when the worker next finishes a needs-you:email attempt, with its error (null: it succeeded). */
function nextAlertAttempt(): Promise<unknown> {
  return new Promise((resolve) => {
    const listener = ({ job, error }: { job: { task_identifier: string }; error: unknown }) => {
      if (job.task_identifier !== NEEDS_YOU_EMAIL_TASK) return;
      runner.events.off("job:complete", listener);
      resolve(error);
    };
    runner.events.on("job:complete", listener);
  });
}

describe("the Needs you email", () => {
  it("names every lead flagged before it ran in one email, then only leads flagged since", async () => {
    const maria = await lead("Maria");
    const omar = await lead("Omar");
    const attempt = nextAlertAttempt();
    await t.db.asSystem(async (tx) => {
      // Both in one transaction: the second flag joins the first one's pending job.
      await tx.$executeRaw`SELECT set_config('app.user_id', ${owner}, true)`;
      await tx.$executeRaw`SELECT app_flag_needs_owner(${owner}::uuid, ${maria}::uuid, 'wrote_while_paused'::"NeedsOwnerReason", NULL, ${new Date(Date.now() - 10 * MINUTE_MS)})`;
      await tx.$executeRaw`SELECT app_flag_needs_owner(${owner}::uuid, ${omar}::uuid, 'send_failed'::"NeedsOwnerReason", NULL, ${new Date(Date.now() - 9 * MINUTE_MS)})`;
    });
    expect(await attempt).toBeNull();
    expect(alertsTo(OWNER_EMAIL)).toHaveLength(1);
    const first = alertsTo(OWNER_EMAIL)[0];
    expect(first?.parsed.subject).toBe("2 leads need you");
    expect(first?.parsed.text).toContain(`- Maria wrote while the AI is paused for them: http://localhost:3000/dashboard/leads/${maria}`);
    expect(first?.parsed.text).toContain(`- Omar did not get a message we sent`);

    const lena = await lead("Lena");
    const secondAttempt = nextAlertAttempt();
    await flag(t.db, lena, "send_failed");
    expect(await secondAttempt).toBeNull();
    expect(alertsTo(OWNER_EMAIL)).toHaveLength(2);
    const second = alertsTo(OWNER_EMAIL)[1];
    expect(second?.parsed.subject).toBe("A lead needs you");
    expect(second?.parsed.text).toContain("- Lena did not get");
    expect(second?.parsed.text).not.toContain("Maria");
  });

  it("tries again when the mail server defers it, naming the same leads once", async () => {
    smtp.rejectNext({ code: 451, message: "4.3.0 Try again later" });
    const sam = await lead("Sam");
    const before = alertsTo(OWNER_EMAIL).length;
    const deferred = nextAlertAttempt();
    await flag(t.db, sam, "wrote_while_paused");
    expect(await deferred).toBeInstanceOf(Error);
    expect(alertsTo(OWNER_EMAIL)).toHaveLength(before);
    // graphile-worker runs it again after its backoff (about 2.7 s after a first failure).
    expect(await nextAlertAttempt()).toBeNull();
    expect(alertsTo(OWNER_EMAIL)).toHaveLength(before + 1);
    expect(alertsTo(OWNER_EMAIL)[before]?.parsed.text).toContain("- Sam wrote while the AI is paused");
    const { needsOwnerAlertedAt } = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: sam }, select: { needsOwnerAlertedAt: true } }));
    expect(needsOwnerAlertedAt).not.toBeNull();
  });
});
