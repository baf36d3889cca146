import { randomBytes } from "node:crypto";
import { createLogger } from "@audnix/core";
import { captureDelivery } from "@audnix/db";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { buildMailgunInboundFields, parseMailgunInbound, type FakeInboundEmail } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleMailgunInbound, type EmailWebhookDeps } from "../../app/webhooks/email-webhook.server.ts";
import { captureRowCounts, leadsWithExternalId } from "./capture-rows.ts";

const SIGNING_KEY = `key-${randomBytes(16).toString("hex")}`;
const INBOX = "hello@shop.example";
const NOW = new Date("2026-05-01T12:00:00.000Z");

let t: TestDatabase;
let owner: string;
const logLines: string[] = [];
const logger = createLogger({ level: "debug", sink: (line) => logLines.push(line) });

beforeAll(async () => {
  t = await createTestDatabase();
  owner = await t.db.asSystem(async (tx) => {
    const user = await tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } });
    await tx.connection.create({ data: { userId: user.id, channel: "email", externalAccountId: INBOX, status: "connected" } });
    return user.id;
  });
});

afterAll(async () => {
  await t?.destroy();
});

function emailDeps(overrides: Partial<EmailWebhookDeps> = {}): EmailWebhookDeps {
  return {
    signingKey: { envName: "MAILGUN_WEBHOOK_SIGNING_KEY", value: SIGNING_KEY },
    parse: parseMailgunInbound,
    capture: (input) => captureDelivery(t.db, input),
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

  it("answers 401, saying why, to a genuine but old request (a replay)", async () => {
    const anHourAgo = new Date(NOW.getTime() - 60 * 60_000);
    await expectRejected(multipart(buildMailgunInboundFields(mail(), SIGNING_KEY, anHourAgo)), 401, /stale timestamp/);
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
    const { "body-mime": _mime, ...fields } = buildMailgunInboundFields(mail(), SIGNING_KEY, NOW);
    await expectRejected(multipart(fields), 400, /unexpected inbound email fields/);
  });

  it("answers 413 to a body over 1 MB", async () => {
    const fields = buildMailgunInboundFields(mail({ text: "x".repeat(1024 * 1024) }), SIGNING_KEY, NOW);
    await expectRejected(multipart(fields), 413, /larger than/);
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
