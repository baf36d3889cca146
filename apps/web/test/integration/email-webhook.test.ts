import { randomBytes } from "node:crypto";
import { createLogger } from "@audnix/core";
import { MAILGUN_SIGNATURE_MAX_AGE_SECONDS } from "@audnix/core";
import { captureMailgunDelivery, createDb, usedMailgunToken } from "@audnix/db";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { buildMailgunInboundFields, replayMailgunSignature, type FakeInboundEmail } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleMailgunInbound, type EmailWebhookDeps } from "../../app/webhooks/email-webhook.server.ts";
import { createMailgunFormPool, MAILGUN_FORM_POOL_DEFAULTS, type MailgunFormPool } from "../../app/webhooks/mailgun-form-pool.server.ts";
import { UnfinishedTokens } from "../../app/webhooks/unfinished-tokens.server.ts";
import { EMAIL_WEBHOOK_BODY_LIMIT_BYTES } from "../../app/webhooks/read-capped-body.server.ts";
import { captureRowCounts, leadsWithExternalId } from "./capture-rows.ts";

const SIGNING_KEY = `key-${randomBytes(16).toString("hex")}`;
const INBOX = "hello@shop.example";
const NOW = new Date("2026-05-01T12:00:00.000Z");

let t: TestDatabase;
let owner: string;
// The production pool's shape: real worker threads loading the worker module as Node does.
let pool: MailgunFormPool;
const logLines: string[] = [];
const logger = createLogger({ level: "debug", sink: (line) => logLines.push(line) });

beforeAll(async () => {
  pool = createMailgunFormPool(MAILGUN_FORM_POOL_DEFAULTS);
  t = await createTestDatabase();
  owner = await t.db.asSystem(async (tx) => {
    const user = await tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } });
    await tx.connection.create({ data: { userId: user.id, channel: "email", externalAccountId: INBOX, status: "connected" } });
    return user.id;
  });
});

afterAll(async () => {
  await pool?.close();
  await t?.destroy();
});

function emailDeps(overrides: Partial<EmailWebhookDeps> = {}): EmailWebhookDeps {
  return {
    signingKey: { envName: "MAILGUN_WEBHOOK_SIGNING_KEY", value: SIGNING_KEY },
    decode: (job) => pool.decode(job),
    unfinished: new UnfinishedTokens(),
    capture: (input, token) => captureMailgunDelivery(t.db, input, token),
    usedToken: (token) => usedMailgunToken(t.db, token),
    logger,
    now: () => NOW,
    ...overrides,
  };
}

const mail = (overrides: Partial<FakeInboundEmail> = {}): FakeInboundEmail => ({
  from: "grace@example.com",
  fromName: "Grace Hopper",
  to: INBOX,
  subject: "Question about the workshop",
  text: "Hi, is there still a seat on Friday?",
  ...overrides,
});

function urlEncoded(fields: Record<string, string>): Request {
  return new Request("http://localhost/api/webhook/email", { method: "POST", body: new URLSearchParams(fields) });
}

function multipart(fields: Record<string, string>): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return new Request("http://localhost/api/webhook/email", { method: "POST", body: form });
}

const rowCounts = () => captureRowCounts(t.db);
const leadsOf = (externalId: string) => leadsWithExternalId(t.db, owner, externalId);

describe("Mailgun inbound email", () => {
  it("turns a signed multipart inbound email into a lead with the mail's text", async () => {
    const response = await handleMailgunInbound(multipart(buildMailgunInboundFields(mail(), SIGNING_KEY, NOW)), emailDeps());
    expect(response.status).toBe(200);
    const [lead] = await leadsOf("grace@example.com");
    expect(lead).toMatchObject({ channel: "email", name: "Grace Hopper", email: "grace@example.com" });
    expect(lead?.messages.map((m) => m.body)).toEqual(["Hi, is there still a seat on Friday?"]);
  });

  it("accepts the urlencoded form too", async () => {
    const fields = buildMailgunInboundFields(mail({ from: "ada@example.com", fromName: "Ada", text: "Ping" }), SIGNING_KEY, NOW);
    const response = await handleMailgunInbound(urlEncoded(fields), emailDeps());
    expect(response.status).toBe(200);
    expect((await leadsOf("ada@example.com"))[0]?.messages.map((m) => m.body)).toEqual(["Ping"]);
  });

  it("ignores form fields it does not use", async () => {
    const fields = buildMailgunInboundFields(mail({ from: "extra@example.com", text: "Extra" }), SIGNING_KEY, NOW);
    const response = await handleMailgunInbound(multipart({ ...fields, "X-Mailgun-Variables": "{}", "stripped-text": "Extra" }), emailDeps());
    expect(response.status).toBe(200);
    expect(await leadsOf("extra@example.com")).toHaveLength(1);
  });
});

describe("rejected inbound email writes nothing", () => {
  async function expectRejected(request: Request, status: number, reason: RegExp, deps = emailDeps()) {
    const before = await rowCounts();
    const response = await handleMailgunInbound(request, deps);
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(reason);
    expect(await rowCounts()).toEqual(before);
  }

  it("answers 401 to a signature made with another key", async () => {
    await expectRejected(multipart(buildMailgunInboundFields(mail(), "another-key", NOW)), 401, /bad signature/);
  });

  it("answers 401 when the signature fields are missing", async () => {
    const { timestamp: _t, token: _k, signature: _s, ...unsigned } = buildMailgunInboundFields(mail(), SIGNING_KEY, NOW);
    await expectRejected(multipart(unsigned), 401, /missing or malformed signature fields/);
  });

  it("answers 400 to a body that is not a form", async () => {
    const request = new Request("http://localhost/api/webhook/email", {
      method: "POST",
      body: JSON.stringify(buildMailgunInboundFields(mail(), SIGNING_KEY, NOW)),
      headers: { "Content-Type": "application/json" },
    });
    await expectRejected(request, 400, /not a form/);
  });

  it("answers 400 to signed fields without the MIME body", async () => {
    const { "body-mime": _mime, ...fields } = buildMailgunInboundFields(mail({ from: "no-mime@example.com" }), SIGNING_KEY, NOW);
    await expectRejected(multipart(fields), 400, /unexpected inbound email fields/);
  });


  it("answers 503 when no signing key is configured", async () => {
    const deps = emailDeps({ signingKey: { envName: "MAILGUN_WEBHOOK_SIGNING_KEY", value: undefined } });
    await expectRejected(
      multipart(buildMailgunInboundFields(mail(), SIGNING_KEY, NOW)),
      503,
      /^Email webhooks are not configured \(set MAILGUN_WEBHOOK_SIGNING_KEY\)$/,
      deps,
    );
  });

  it("never logs the signing key or the mail", () => {
    expect(logLines.some((line) => line.includes("webhook rejected: bad signature"))).toBe(true);
    for (const line of logLines) {
      expect(line).not.toContain(SIGNING_KEY);
      expect(line).not.toContain("still a seat on Friday");
    }
  });
});

describe("Mailgun signatures: replays refused, Mailgun's own retries accepted (decision 0016)", () => {
  const HOUR_MS = 3600_000;
  const messagesFrom = async (externalId: string) => (await leadsOf(externalId)).flatMap((lead) => lead.messages.map((m) => m.body));

  // The first attempt meets a busy database: another transaction holds the messages table and
  // lock_timeout gives up (SQLSTATE 55P03, transient). It fails inside captureMailgunDelivery's
  // transaction after the token row was written, as a restart mid-delivery would.
  const failingOnce = () => {
    let calls = 0;
    return emailDeps({
      capture: async (input, token) => {
        if (calls++ > 0) return captureMailgunDelivery(t.db, input, token);
        const impatient = createDb({ url: `${t.appUrl}${t.appUrl.includes("?") ? "&" : "?"}options=-c%20lock_timeout%3D200`, maxConnections: 1 });
        const blocker = await t.db.pool.connect();
        try {
          await blocker.query("BEGIN");
          await blocker.query("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE");
          return await captureMailgunDelivery(impatient, input, token);
        } finally {
          await blocker.query("ROLLBACK");
          blocker.release();
          await impatient.close();
        }
      },
    });
  };

  it("refuses a captured signature sent again with another body, and stores nothing of it", async () => {
    const genuine = buildMailgunInboundFields(mail({ from: "lin@example.com", text: "Genuine question" }), SIGNING_KEY, NOW);
    expect((await handleMailgunInbound(multipart(genuine), emailDeps())).status).toBe(200);

    const forged = buildMailgunInboundFields(mail({ from: "mallory@example.com", text: "Forged" }), SIGNING_KEY, NOW);
    const before = await rowCounts();
    for (const attempt of [1, 2, 3]) {
      const response = await handleMailgunInbound(multipart(replayMailgunSignature(genuine, forged)), emailDeps());
      expect({ attempt, status: response.status }).toEqual({ attempt, status: 401 });
      expect(await response.text()).toMatch(/already used/);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await leadsOf("mallory@example.com")).toEqual([]);
    expect(await messagesFrom("lin@example.com")).toEqual(["Genuine question"]);
  });

  it("answers a replay and a redelivery of a stored email without parsing their MIME", async () => {
    const genuine = buildMailgunInboundFields(mail({ from: "tom@example.com", text: "Parsed once" }), SIGNING_KEY, NOW);
    let parsed = 0;
    const counting = emailDeps({ decode: (job) => ((parsed += job.parseMime ? 1 : 0), pool.decode(job)) });
    expect((await handleMailgunInbound(multipart(genuine), counting)).status).toBe(200);
    const forged = replayMailgunSignature(genuine, buildMailgunInboundFields(mail({ from: "tom@example.com", text: "Forged" }), SIGNING_KEY, NOW));
    expect((await handleMailgunInbound(multipart(forged), counting)).status).toBe(401);
    expect((await handleMailgunInbound(urlEncoded(genuine), counting)).status).toBe(200);
    expect(parsed).toBe(1);
    expect(await messagesFrom("tom@example.com")).toEqual(["Parsed once"]);
  });

  it("stores an email once when Mailgun retries it after a 500, and answers 200 to a retry of the stored one", async () => {
    const fields = buildMailgunInboundFields(mail({ from: "kim@example.com", text: "Retried mail" }), SIGNING_KEY, NOW);
    const deps = failingOnce();
    expect((await handleMailgunInbound(multipart(fields), deps)).status).toBe(500);
    expect(await leadsOf("kim@example.com")).toEqual([]);
    expect((await handleMailgunInbound(multipart(fields), deps)).status).toBe(200);
    // Our 200 lost on the way back: Mailgun sends the same bytes once more.
    expect((await handleMailgunInbound(multipart(fields), deps)).status).toBe(200);
    expect(await messagesFrom("kim@example.com")).toEqual(["Retried mail"]);
  });

  it("accepts Mailgun's retry two hours later with the original signature", async () => {
    const firstAttempt = new Date(NOW.getTime() - 2 * HOUR_MS);
    const fields = buildMailgunInboundFields(mail({ from: "noor@example.com", text: "Sent at ten" }), SIGNING_KEY, firstAttempt);
    const deps = failingOnce();
    expect((await handleMailgunInbound(multipart(fields), { ...deps, now: () => firstAttempt })).status).toBe(500);
    expect((await handleMailgunInbound(multipart(fields), { ...deps, now: () => NOW })).status).toBe(200);
    expect(await messagesFrom("noor@example.com")).toEqual(["Sent at ten"]);
  });

  it("refuses a genuine signature older than Mailgun's retry window", async () => {
    const tooOld = new Date(NOW.getTime() - MAILGUN_SIGNATURE_MAX_AGE_SECONDS * 1000 - 1000);
    const before = await rowCounts();
    const response = await handleMailgunInbound(multipart(buildMailgunInboundFields(mail({ from: "old@example.com" }), SIGNING_KEY, tooOld)), emailDeps());
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/stale timestamp/);
    expect(await rowCounts()).toEqual(before);
  });

  it("lets only one of two copies racing on one token in", async () => {
    const genuine = buildMailgunInboundFields(mail({ from: "ray@example.com", text: "Race one" }), SIGNING_KEY, NOW);
    const forged = replayMailgunSignature(genuine, buildMailgunInboundFields(mail({ from: "ray@example.com", text: "Race two" }), SIGNING_KEY, NOW));
    const statuses = await Promise.all([genuine, forged].map((fields) => handleMailgunInbound(multipart(fields), emailDeps()).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 401]);
    expect(await messagesFrom("ray@example.com")).toHaveLength(1);
  });

  it("forgets tokens whose signatures have expired", async () => {
    const later = new Date(NOW.getTime() + MAILGUN_SIGNATURE_MAX_AGE_SECONDS * 1000 + HOUR_MS);
    const fields = buildMailgunInboundFields(mail({ from: "sweep@example.com" }), SIGNING_KEY, later);
    expect((await handleMailgunInbound(multipart(fields), emailDeps({ now: () => later }))).status).toBe(200);
    const tokens = await t.db.asSystem((tx) => tx.mailgunWebhookToken.findMany({ select: { expiresAt: true } }));
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.expiresAt.getTime()).toBeGreaterThan(later.getTime());
  });
});

describe("routing by the platform's inbound address (decision 0016)", () => {
  it("routes mail forwarded from the business's mailbox by its envelope recipient, case-insensitively", async () => {
    const assigned = "studio-bloom-k7q2m4x9z3w5v6b8@inbound.audnix.local";
    const bloom = await t.db.asSystem(async (tx) => {
      const user = await tx.user.create({ data: { email: "owner@studiobloom.example", plan: "starter" } });
      await tx.connection.create({ data: { userId: user.id, channel: "email", externalAccountId: assigned, status: "connected" } });
      return user.id;
    });
    // Forwarded: To still names the business's own mailbox; Mailgun's recipient is the assigned address.
    const forwarded = mail({ from: "vera@example.com", to: "hello@studiobloom.example", recipient: assigned.toUpperCase(), text: "Forwarded to you" });
    expect((await handleMailgunInbound(multipart(buildMailgunInboundFields(forwarded, SIGNING_KEY, NOW)), emailDeps())).status).toBe(200);
    const leads = await leadsWithExternalId(t.db, bloom, "vera@example.com");
    expect(leads.flatMap((lead) => lead.messages.map((m) => m.body))).toEqual(["Forwarded to you"]);

    // The business's own address is no routing key: mail sent straight to it under another account's name goes nowhere.
    const before = await rowCounts();
    const direct = mail({ from: "eve@example.com", to: "hello@studiobloom.example", text: "Not routed" });
    expect((await handleMailgunInbound(multipart(buildMailgunInboundFields(direct, SIGNING_KEY, NOW)), emailDeps())).status).toBe(200);
    expect((await rowCounts()).leads).toBe(before.leads);
  });
});

describe("inbound email size", () => {
  it("accepts an email over the other webhooks' 1 MB cap", async () => {
    const fields = buildMailgunInboundFields(mail({ from: "big@example.com", text: "Long letter ".repeat(150_000) }), SIGNING_KEY, NOW);
    expect((await handleMailgunInbound(multipart(fields), emailDeps())).status).toBe(200);
    expect(await leadsOf("big@example.com")).toHaveLength(1);
  });

  it("refuses an email over the cap for good (406, so Mailgun stops retrying), logging only its size", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    let sent = 0;
    const oversized = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > EMAIL_WEBHOOK_BODY_LIMIT_BYTES) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://localhost/api/webhook/email", {
      method: "POST",
      body: oversized,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      duplex: "half",
    } as RequestInit);
    const before = await rowCounts();
    const response = await handleMailgunInbound(request, emailDeps());
    expect(response.status).toBe(406);
    expect(await rowCounts()).toEqual(before);
    const line = logLines.findLast((entry) => entry.includes("body too large"));
    expect(line).toContain(`"limitBytes":${EMAIL_WEBHOOK_BODY_LIMIT_BYTES}`);
    expect(line).not.toContain("xxxx");
  });

  it("refuses a declared length over the cap before reading it", async () => {
    const request = new Request("http://localhost/api/webhook/email", {
      method: "POST",
      body: "timestamp=1",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(EMAIL_WEBHOOK_BODY_LIMIT_BYTES + 1) },
    });
    expect((await handleMailgunInbound(request, emailDeps())).status).toBe(406);
  });
});

describe("inbound email Postgres could not store as it came", () => {
  // A hand-written MIME body: quoted-printable lets a sender put any byte in the text.
  function rawMail(from: string, body: string, headers: string[] = []): Record<string, string> {
    const fields = buildMailgunInboundFields(mail({ from, subject: `raw ${from}` }), SIGNING_KEY, NOW);
    const mime = [
      `From: Raw Sender <${from}>`,
      `To: ${INBOX}`,
      `Subject: raw ${from}`,
      `Message-ID: <${from}.raw@example.com>`,
      ...headers,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      body,
    ].join("\r\n");
    return { ...fields, "body-mime": mime };
  }

  it("stores a quoted-printable =00 without the NUL, and invalid UTF-8 as U+FFFD, answering 200", async () => {
    const nul = await handleMailgunInbound(multipart(rawMail("nul@example.com", "see you=00 tomorrow")), emailDeps());
    expect(nul.status).toBe(200);
    expect((await leadsOf("nul@example.com"))[0]?.messages.map((m) => m.body)).toEqual(["see you tomorrow"]);

    const broken = await handleMailgunInbound(multipart(rawMail("bytes@example.com", "caf=C3 and =FF=FE done")), emailDeps());
    expect(broken.status).toBe(200);
    const [body] = (await leadsOf("bytes@example.com"))[0]?.messages.map((m) => m.body) ?? [];
    expect(body).toMatch(/^caf\ufffd and \ufffd+ done$/);
  });

  it("dates a mail whose Date header cannot be believed at its arrival", async () => {
    for (const [from, date] of [["future@example.com", "Sat, 1 Jan 3000 00:00:00 +0000"], ["ancient@example.com", "Thu, 1 Jan 1970 00:00:00 +0000"]] as const) {
      const response = await handleMailgunInbound(multipart(rawMail(from, "hello", [`Date: ${date}`])), emailDeps());
      expect(response.status).toBe(200);
      expect((await leadsOf(from))[0]?.messages.map((m) => m.sentAt)).toEqual([NOW]);
    }
  });

  it("answers 200 and keeps the mail as failed when a value that slipped past core makes the database refuse it", async () => {
    const careless: EmailWebhookDeps["decode"] = async (job) => {
      const decoded = await pool.decode(job);
      if (decoded.status !== "done" || decoded.result.kind !== "parsed") return decoded;
      const { delivery } = decoded.result;
      const groups = delivery.groups.map((group) => ({
        ...group,
        events: group.events.map((event) => (event.kind === "message" ? { ...event, text: `${event.text}\u0000` } : event)),
      }));
      return { status: "done", result: { ...decoded.result, delivery: { ...delivery, groups } } };
    };
    const fields = buildMailgunInboundFields(mail({ from: "slipped@example.com", subject: "slipped" }), SIGNING_KEY, NOW);
    expect((await handleMailgunInbound(multipart(fields), emailDeps({ decode: careless }))).status).toBe(200);
    expect(await leadsOf("slipped@example.com")).toEqual([]);
    const failed = await t.db.asSystem((tx) => tx.webhookEvent.count({ where: { status: "failed", accountId: INBOX } }));
    expect(failed).toBe(1);
    // Mailgun would not retry after a 200; a replay of the same signed request is still just a redelivery.
    expect((await handleMailgunInbound(multipart(fields), emailDeps({ decode: careless }))).status).toBe(200);
  });

  it("keeps a mail with an unusable Message-ID under a content hash", async () => {
    const fields = rawMail("longid@example.com", "hello");
    const mime = fields["body-mime"]?.replace("<longid@example.com.raw@example.com>", `<${"x".repeat(5_000)}@example.com>`) ?? "";
    const response = await handleMailgunInbound(multipart({ ...fields, "body-mime": mime }), emailDeps());
    expect(response.status).toBe(200);
    expect((await leadsOf("longid@example.com"))[0]?.messages.map((m) => m.providerMessageId)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });
});

describe("inbound email decoded off the event loop (decision 0019)", () => {
  const MIB = 1024 * 1024;
  // About 10 MB as posted: a 7.5 MiB attachment, base64 in the MIME.
  const bigMail = (from: string) =>
    buildMailgunInboundFields(
      mail({
        from,
        text: "The signed contract is attached.",
        attachments: [{ fileName: "contract.pdf", mimeType: "application/pdf", content: randomBytes(7.5 * MIB) }],
      }),
      SIGNING_KEY,
      NOW,
    );

  /** Deps whose decode reports when a big body has been handed to the pool. */
  function watchingBig(deps: EmailWebhookDeps): { deps: EmailWebhookDeps; handedOver: Promise<void> } {
    let handOver = () => {};
    const handedOver = new Promise<void>((resolve) => (handOver = resolve));
    const decode: EmailWebhookDeps["decode"] = (job) => {
      const isBig = job.body.byteLength > MIB;
      const decoded = deps.decode(job);
      if (isBig) handOver();
      return decoded;
    };
    return { deps: { ...deps, decode }, handedOver };
  }

  it("stores a 10 MB email with its attachment, while a small email and a timer are served before it finishes", async () => {
    const order: string[] = [];
    const { deps, handedOver } = watchingBig(emailDeps());
    const big = handleMailgunInbound(multipart(bigMail("contract@example.com")), deps).then((response) => (order.push("big"), response));
    await handedOver;
    const timer = new Promise<void>((resolve) => setTimeout(() => (order.push("timer"), resolve()), 0));
    const small = await handleMailgunInbound(multipart(buildMailgunInboundFields(mail({ from: "quick@example.com", text: "Quick one" }), SIGNING_KEY, NOW)), emailDeps());
    order.push("small");
    await timer;
    expect(small.status).toBe(200);
    expect((await big).status).toBe(200);
    expect(order.at(-1)).toBe("big");
    expect(order).toHaveLength(3);

    const [lead] = await leadsOf("contract@example.com");
    expect(lead?.messages.map((m) => m.body)).toEqual(["The signed contract is attached."]);
    expect(lead?.messages[0]?.attachments).toEqual([expect.objectContaining({ type: "file", mimeType: "application/pdf", fileName: "contract.pdf" })]);
    expect((await leadsOf("quick@example.com"))[0]?.messages.map((m) => m.body)).toEqual(["Quick one"]);
  });

  it("answers 503 with Retry-After when every thread and queue slot is taken, and stores the email on Mailgun's retry", async () => {
    const single = createMailgunFormPool({ maxThreads: 1, maxQueue: 0, budgetMs: 60_000 });
    try {
      const { deps, handedOver } = watchingBig(emailDeps({ decode: (job) => single.decode(job) }));
      const big = handleMailgunInbound(multipart(bigMail("busy-big@example.com")), deps);
      await handedOver;
      const fields = buildMailgunInboundFields(mail({ from: "waiting@example.com", text: "Try me later" }), SIGNING_KEY, NOW);
      const before = await rowCounts();
      const refused = await handleMailgunInbound(multipart(fields), deps);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("Retry-After")).toBe("60");
      expect(await rowCounts()).toEqual(before);

      expect((await big).status).toBe(200);
      expect((await handleMailgunInbound(multipart(fields), deps)).status).toBe(200);
      expect((await leadsOf("waiting@example.com"))[0]?.messages.map((m) => m.body)).toEqual(["Try me later"]);
    } finally {
      await single.close();
    }
  });

  it.each([
    ["runs over its budget", "never-finishing-worker.ts", 200, /time budget, twice/],
    ["fails on its thread", "throwing-worker.ts", 60_000, /decoding failed, twice/],
  ])("answers a decode that %s 503 once, then 406 for the same delivery, writing nothing", async (_case, worker, budgetMs, reason) => {
    const poisoned = createMailgunFormPool({ maxThreads: 1, maxQueue: 0, budgetMs, workerUrl: new URL(`./${worker}`, import.meta.url).href });
    try {
      const deps = emailDeps({ decode: (job) => poisoned.decode(job), unfinished: new UnfinishedTokens() });
      const fields = buildMailgunInboundFields(mail({ from: "poison@example.com" }), SIGNING_KEY, NOW);
      const before = await rowCounts();
      const first = await handleMailgunInbound(multipart(fields), deps);
      expect(first.status).toBe(503);
      expect(first.headers.get("Retry-After")).toBe("60");
      // Mailgun's retry carries the same token: the second time is taken as for good (Mailgun stops on 406).
      const retry = await handleMailgunInbound(multipart(fields), deps);
      expect(retry.status).toBe(406);
      expect(await retry.text()).toMatch(reason);
      expect(await rowCounts()).toEqual(before);
      // The pool replaced the thread: another delivery gets its own first chance.
      const other = buildMailgunInboundFields(mail({ from: "poison-two@example.com" }), SIGNING_KEY, NOW);
      expect((await handleMailgunInbound(multipart(other), deps)).status).toBe(503);
    } finally {
      await poisoned.close();
    }
  });
});
