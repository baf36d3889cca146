import { randomBytes } from "node:crypto";
import { createLogger, parseInstagramDelivery, parseWhatsAppDelivery, replyJobKey, stepJobKey } from "@audnix/core";
import { captureDelivery, createDb, listenForLiveEvents, type LiveEvent } from "@audnix/db";
import { createTestDatabase, type TestDatabase } from "@audnix/db/testing";
import { instagramFake, signMetaBody, whatsappFake } from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleMetaDelivery, handleMetaHandshake, type MetaWebhookDeps } from "../../app/webhooks/meta-webhook.server.ts";
import { captureRowCounts, leadsWithExternalId } from "./capture-rows.ts";

const IG_SECRET = `ig-secret-${randomBytes(16).toString("hex")}`;
const WA_SECRET = `wa-secret-${randomBytes(16).toString("hex")}`;
const VERIFY_TOKEN = `verify-${randomBytes(8).toString("hex")}`;
const IG_ACCOUNT = "17841400000000001";
const WA_NUMBER = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881" };
const ONE_MB = 1024 * 1024;

let t: TestDatabase;
let owner: string;
const logLines: string[] = [];
const logger = createLogger({ level: "debug", sink: (line) => logLines.push(line) });

beforeAll(async () => {
  t = await createTestDatabase();
  owner = await t.db.asSystem(async (tx) => {
    const user = await tx.user.create({ data: { email: "owner@shop.example", plan: "starter" } });
    await tx.connection.createMany({
      data: [
        { userId: user.id, channel: "instagram", externalAccountId: IG_ACCOUNT, status: "connected" },
        { userId: user.id, channel: "whatsapp", externalAccountId: WA_NUMBER.phoneNumberId, status: "connected" },
      ],
    });
    return user.id;
  });
});

afterAll(async () => {
  await t?.destroy();
});

function metaDeps(channel: "instagram" | "whatsapp", overrides: Partial<MetaWebhookDeps> = {}): MetaWebhookDeps {
  const instagram = channel === "instagram";
  return {
    channel,
    secret: { envName: instagram ? "INSTAGRAM_APP_SECRET" : "WHATSAPP_APP_SECRET", value: instagram ? IG_SECRET : WA_SECRET },
    verifyToken: {
      envName: instagram ? "INSTAGRAM_WEBHOOK_VERIFY_TOKEN" : "WHATSAPP_WEBHOOK_VERIFY_TOKEN",
      value: VERIFY_TOKEN,
    },
    parse: instagram ? parseInstagramDelivery : parseWhatsAppDelivery,
    capture: (input) => captureDelivery(t.db, input),
    logger,
    now: () => new Date(),
    ...overrides,
  };
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/webhook/instagram", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
    // Needed for stream bodies; harmless for the others.
    duplex: "half",
  } as RequestInit);
}

/** A body signed the way Meta signs it: HMAC of exactly these bytes. */
function signed(payload: unknown, secret = IG_SECRET, headers: Record<string, string> = {}): Request {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return post(body, { "X-Hub-Signature-256": signMetaBody(body, secret), ...headers });
}

const rowCounts = () => captureRowCounts(t.db);
const leadsOf = (externalId: string) => leadsWithExternalId(t.db, owner, externalId);

const ig = instagramFake({ seed: "web-it" });
const wa = whatsappFake({ seed: "web-it" });

describe("Instagram webhook deliveries", () => {
  it("turns a signed text message into a lead with its message", async () => {
    const parties = { business: IG_ACCOUNT, lead: "igsid-text" };
    const response = await handleMetaDelivery(signed(ig.delivery([ig.entry(IG_ACCOUNT, [ig.text(parties, "Hi! Is the course still open?")])])), metaDeps("instagram"));
    expect(response.status).toBe(200);

    const [lead, ...others] = await leadsOf("igsid-text");
    expect(others).toEqual([]);
    expect(lead).toMatchObject({ userId: owner, channel: "instagram", status: "new" });
    expect(lead?.messages.map((m) => [m.direction, m.body])).toEqual([["inbound", "Hi! Is the course still open?"]]);
  });

  it("keeps the attachments of a message", async () => {
    const parties = { business: IG_ACCOUNT, lead: "igsid-photo" };
    const url = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=42";
    const response = await handleMetaDelivery(signed(ig.delivery([ig.entry(IG_ACCOUNT, [ig.attachment(parties, "image", url)])])), metaDeps("instagram"));
    expect(response.status).toBe(200);
    const [lead] = await leadsOf("igsid-photo");
    expect(lead?.messages[0]?.attachments).toEqual([expect.objectContaining({ type: "image", url })]);
  });

  it("does not treat the business's own message (echo) as a lead speaking", async () => {
    const before = await rowCounts();
    const parties = { business: IG_ACCOUNT, lead: "igsid-echo" };
    const response = await handleMetaDelivery(signed(ig.delivery([ig.entry(IG_ACCOUNT, [ig.echo(parties, "Thanks for your order!")])])), metaDeps("instagram"));
    expect(response.status).toBe(200);
    const after = await rowCounts();
    expect(after.leads).toBe(before.leads);
    expect(await leadsOf("igsid-echo")).toEqual([]);
    // The delivery itself is kept for audit.
    expect(after.webhookEvents).toBe(before.webhookEvents + 1);
  });

  it("records reads and reactions without creating leads or messages", async () => {
    const before = await rowCounts();
    const parties = { business: IG_ACCOUNT, lead: "igsid-reader" };
    const payload = ig.delivery([ig.entry(IG_ACCOUNT, [ig.read(parties, "aWdf.some-mid"), ig.reaction(parties, "aWdf.some-mid", "❤️")])]);
    const response = await handleMetaDelivery(signed(payload), metaDeps("instagram"));
    expect(response.status).toBe(200);
    const after = await rowCounts();
    expect([after.leads, after.messages]).toEqual([before.leads, before.messages]);
  });

  it("stores a redelivered body once", async () => {
    const parties = { business: IG_ACCOUNT, lead: "igsid-retry" };
    const body = JSON.stringify(ig.delivery([ig.entry(IG_ACCOUNT, [ig.text(parties, "Are you there?")])]));
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await handleMetaDelivery(signed(body), metaDeps("instagram"))).status).toBe(200);
    }
    const [lead] = await leadsOf("igsid-retry");
    expect(lead?.messages).toHaveLength(1);
  });

  it("ignores fields Meta may add later", async () => {
    const parties = { business: IG_ACCOUNT, lead: "igsid-future" };
    const entry = ig.entry(IG_ACCOUNT, [ig.text(parties, "New fields!")]);
    const withExtras = {
      object: "instagram",
      unexpected: "yes",
      entry: [{ ...entry, extra: true, messaging: entry.messaging.map((item) => ({ ...item, brand_new_field: { x: 1 } })) }],
    };
    const response = await handleMetaDelivery(signed(withExtras), metaDeps("instagram"));
    expect(response.status).toBe(200);
    expect((await leadsOf("igsid-future"))[0]?.messages.map((m) => m.body)).toEqual(["New fields!"]);
  });
});

describe("rejected Meta deliveries write nothing", () => {
  const payload = () => ig.delivery([ig.entry(IG_ACCOUNT, [ig.text({ business: IG_ACCOUNT, lead: "igsid-attacker" }, "forged")])]);

  async function expectRejected(request: Request, status: number, reason: RegExp, deps = metaDeps("instagram")) {
    const before = await rowCounts();
    const logged = logLines.length;
    const response = await handleMetaDelivery(request, deps);
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(reason);
    expect(await rowCounts()).toEqual(before);
    const lines = logLines.slice(logged).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: "warn", msg: expect.stringMatching(reason), channel: deps.channel }));
  }

  it("answers 401 to a delivery without a signature", async () => {
    await expectRejected(post(JSON.stringify(payload())), 401, /missing signature/);
  });

  it("answers 401 to a signature made with another secret, or over other bytes", async () => {
    await expectRejected(signed(payload(), "not-the-app-secret"), 401, /bad signature/);
    const body = JSON.stringify(payload());
    const tampered = post(body.replace("forged", "FORGED"), { "X-Hub-Signature-256": signMetaBody(body, IG_SECRET) });
    await expectRejected(tampered, 401, /bad signature/);
  });

  it("answers 400 to a signed body that is not JSON", async () => {
    await expectRejected(signed("{ not json"), 400, /not JSON/);
  });

  it("answers 400 to signed JSON of the wrong shape", async () => {
    await expectRejected(signed({ object: "page", entry: [] }), 400, /unexpected payload shape/);
    await expectRejected(signed([1, 2, 3]), 400, /unexpected payload shape/);
  });

  it("answers 413 to a declared body over 1 MB before reading it", async () => {
    const big = "x".repeat(ONE_MB + 1);
    await expectRejected(signed(big, IG_SECRET, { "Content-Length": String(big.length) }), 413, /body too large|larger than/);
  });

  it("answers 413 to a streamed body once it passes 1 MB, without reading the rest", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let produced = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        produced += chunk.byteLength;
        controller.enqueue(chunk);
        if (produced >= 20 * ONE_MB) controller.close();
      },
    });
    await expectRejected(post(endless, { "X-Hub-Signature-256": signMetaBody("", IG_SECRET) }), 413, /body too large|larger than/);
    expect(produced).toBeLessThan(2 * ONE_MB);
  });

  it("answers 503 and names the variable when the app secret is not configured", async () => {
    const deps = metaDeps("instagram", { secret: { envName: "INSTAGRAM_APP_SECRET", value: undefined } });
    await expectRejected(signed(payload()), 503, /Instagram webhooks are not configured \(set INSTAGRAM_APP_SECRET\)/, deps);
  });
});

describe("WhatsApp webhook deliveries", () => {
  const maya = { waId: "4915112345678", name: "Maya Ortiz" };

  it("turns a signed text message into a named lead with a phone number", async () => {
    const payload = wa.delivery([wa.entry([wa.text(WA_NUMBER, maya, "Hallo! Do you ship to Berlin?")])]);
    const response = await handleMetaDelivery(signed(payload, WA_SECRET), metaDeps("whatsapp"));
    expect(response.status).toBe(200);
    const [lead] = await leadsOf(maya.waId);
    expect(lead).toMatchObject({ channel: "whatsapp", name: "Maya Ortiz", phone: "+4915112345678" });
    expect(lead?.messages.map((m) => m.body)).toEqual(["Hallo! Do you ship to Berlin?"]);
  });

  it("does not make a lead of a delivery status update", async () => {
    const before = await rowCounts();
    const payload = wa.delivery([wa.entry([wa.status(WA_NUMBER, "wamid.sent-by-us", "4917600000000", "delivered")])]);
    const response = await handleMetaDelivery(signed(payload, WA_SECRET), metaDeps("whatsapp"));
    expect(response.status).toBe(200);
    const after = await rowCounts();
    expect([after.leads, after.messages]).toEqual([before.leads, before.messages]);
    expect(await leadsOf("4917600000000")).toEqual([]);
  });

  it("refuses a body signed with the Instagram secret", async () => {
    const before = await rowCounts();
    const payload = wa.delivery([wa.entry([wa.text(WA_NUMBER, maya, "wrong secret")])]);
    expect((await handleMetaDelivery(signed(payload, IG_SECRET), metaDeps("whatsapp"))).status).toBe(401);
    expect(await rowCounts()).toEqual(before);
  });
});

describe("Meta subscription handshake", () => {
  const handshake = (query: Record<string, string>) =>
    new Request(`http://localhost/api/webhook/instagram?${new URLSearchParams(query).toString()}`);

  it("echoes the challenge as plain text for the right verify token, without any signature", async () => {
    const response = handleMetaHandshake(
      handshake({ "hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444" }),
      metaDeps("instagram"),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
  });

  it("answers 403 to a wrong verify token", async () => {
    const response = handleMetaHandshake(
      handshake({ "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444" }),
      metaDeps("whatsapp"),
    );
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain("1158201444");
  });

  it("answers 503 when no verify token is configured", async () => {
    const deps = metaDeps("whatsapp", { verifyToken: { envName: "WHATSAPP_WEBHOOK_VERIFY_TOKEN", value: undefined } });
    const response = handleMetaHandshake(handshake({ "hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1" }), deps);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("WhatsApp webhooks are not configured (set WHATSAPP_WEBHOOK_VERIFY_TOKEN)");
  });
});

describe("webhook logs", () => {
  it("name what happened and never contain a secret or a message body", () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.some((line) => line.includes("webhook captured"))).toBe(true);
    for (const line of logLines) {
      for (const secret of [IG_SECRET, WA_SECRET, VERIFY_TOKEN]) expect(line).not.toContain(secret);
      expect(line).not.toContain("Is the course still open");
      expect(line).not.toContain("Do you ship to Berlin");
    }
  });
});

describe("poison entries in a Meta batch", () => {
  const lead = (name: string) => ({ business: IG_ACCOUNT, lead: `igsid-poison-${name}` });
  const withMid = (item: ReturnType<typeof ig.text>, mid: string) => (item.message ? { ...item, message: { ...item.message, mid } } : item);

  it("stores the good entries, cleans bad text, skips only the entries with a bad id or time, and answers 200", async () => {
    const logged = logLines.length;
    const payload = ig.delivery([
      ig.entry(IG_ACCOUNT, [ig.text(lead("good"), "Hello, a normal question")]),
      ig.entry(IG_ACCOUNT, [ig.text(lead("nul"), "stop\u0000 by at noon?")]),
      ig.entry(IG_ACCOUNT, [ig.text(lead("surrogate"), "broken \ud800 emoji")]),
      ig.entry(IG_ACCOUNT, [{ ...ig.text(lead("far-future"), "from the future"), timestamp: 8e15 }]),
      ig.entry(IG_ACCOUNT, [{ ...ig.text(lead("year-1970"), "from the past"), timestamp: 5 }]),
      ig.entry(IG_ACCOUNT, [withMid(ig.text(lead("long-id"), "an id too long"), `m${"x".repeat(100_000)}`)]),
      ig.entry(IG_ACCOUNT, [withMid(ig.text(lead("nul-id"), "an id with NUL"), "m.\u0000.1")]),
      ig.entry(IG_ACCOUNT, [ig.text(lead("huge"), "y".repeat(300_000))]),
    ]);
    const response = await handleMetaDelivery(signed(payload), metaDeps("instagram"));
    expect(response.status).toBe(200);

    const bodies = async (name: string) => (await leadsOf(`igsid-poison-${name}`)).flatMap((l) => l.messages.map((m) => m.body));
    expect(await bodies("good")).toEqual(["Hello, a normal question"]);
    expect(await bodies("nul")).toEqual(["stop by at noon?"]);
    expect(await bodies("surrogate")).toEqual(["broken \ufffd emoji"]);
    for (const skipped of ["far-future", "year-1970", "long-id", "nul-id"]) expect(await leadsOf(`igsid-poison-${skipped}`)).toEqual([]);
    const [huge] = await bodies("huge");
    expect(huge?.length).toBeLessThan(21_000);
    expect(huge).toMatch(/^y{20000}\n\[message truncated: 280000 more characters not stored\]$/);

    const lines = logLines.slice(logged).map((line) => JSON.parse(line) as { msg: string; rejected?: { index: number; reason: string }[] });
    const skipped = lines.find((line) => line.msg === "webhook entries skipped");
    expect(skipped?.rejected?.map((entry) => entry.index)).toEqual([3, 4, 5, 6]);
    expect(skipped?.rejected?.map((entry) => entry.reason).join("\n")).toMatch(/sentAt[\s\S]*sentAt[\s\S]*providerMessageId[\s\S]*providerMessageId/);
    for (const line of logLines.slice(logged)) {
      expect(line).not.toContain("from the future");
      expect(line).not.toContain("xxxxxxxxxx");
    }
  });

  it("skips a WhatsApp message with an impossible timestamp and keeps the rest of its change", async () => {
    const number = WA_NUMBER;
    const good = wa.text(number, { waId: "4915100000001", name: "Good" }, "Still open?");
    const bad = wa.text(number, { waId: "4915100000002", name: "Bad" }, "time travel");
    const [badMessage] = bad.value.messages ?? [];
    const change = {
      ...good,
      value: { ...good.value, messages: [...(good.value.messages ?? []), ...(badMessage ? [{ ...badMessage, timestamp: "99999999999999999999" }] : [])] },
    };
    const response = await handleMetaDelivery(signed(wa.delivery([wa.entry([change])]), WA_SECRET), metaDeps("whatsapp"));
    expect(response.status).toBe(200);
    expect((await leadsOf("4915100000001"))[0]?.messages.map((m) => m.body)).toEqual(["Still open?"]);
    expect(await leadsOf("4915100000002")).toEqual([]);
  });
});

describe("a STOP through the webhook", () => {
  it("opts the lead out before the 200: status, follow-up cancelled, no reply queued, dashboard notified", async () => {
    const parties = { business: IG_ACCOUNT, lead: "igsid-stopper" };
    expect((await handleMetaDelivery(signed(ig.delivery([ig.entry(IG_ACCOUNT, [ig.text(parties, "How much?")])])), metaDeps("instagram"))).status).toBe(200);
    const [lead] = await leadsOf("igsid-stopper");
    const leadId = lead?.id ?? "";
    const jobKey = stepJobKey(leadId, 1);
    await t.db.asUser(owner, async (tx) => {
      await tx.lead.update({ where: { id: leadId }, data: { status: "contacted" } });
      await tx.followUp.create({ data: { userId: owner, leadId, step: 1, channel: "instagram", plannedAt: new Date(Date.now() + 3_600_000), jobKey } });
      await tx.$executeRaw`SELECT graphile_worker.add_job('followup:step', '{}'::json, job_key := ${jobKey})`;
    });

    const notified: LiveEvent[] = [];
    let listening = () => {};
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const listener = listenForLiveEvents(t.appUrl, (event) => notified.push(event), { onListening: () => listening() });
    await ready;
    try {
      const response = await handleMetaDelivery(signed(ig.delivery([ig.entry(IG_ACCOUNT, [ig.text(parties, "STOP")])])), metaDeps("instagram"));
      expect(response.status).toBe(200);

      const after = await t.db.asUser(owner, (tx) => tx.lead.findUniqueOrThrow({ where: { id: leadId }, include: { followUps: true } }));
      expect(after.status).toBe("opted_out");
      expect(after.optedOutAt).not.toBeNull();
      expect(after.followUps.map((f) => [f.status, f.reason])).toEqual([["cancelled", "lead opted out"]]);
      const queued = await t.db.asSystem((tx) =>
        tx.$queryRaw<{ key: string }[]>`SELECT key FROM graphile_worker.jobs WHERE key IN (${replyJobKey(leadId)}, ${jobKey})`,
      );
      expect(queued).toEqual([]);
      await expect.poll(() => notified).toContainEqual({ userId: owner, type: "message.created", leadId });
    } finally {
      await listener.close();
    }
  });
});

describe("capture failures", () => {
  const parties = { business: IG_ACCOUNT, lead: "igsid-outage" };

  it("answers 500 while the database is unreachable, and stores the platform's retry of the same body", async () => {
    const body = JSON.stringify(ig.delivery([ig.entry(IG_ACCOUNT, [ig.text(parties, "Anyone there?")])]));
    const down = createDb({ url: "postgresql://audnix_app@127.0.0.1:1/none", maxConnections: 1 });
    try {
      const response = await handleMetaDelivery(signed(body), metaDeps("instagram", { capture: (input) => captureDelivery(down, input) }));
      expect(response.status).toBe(500);
    } finally {
      await down.close();
    }
    expect(await leadsOf("igsid-outage")).toEqual([]);
    expect((await handleMetaDelivery(signed(body), metaDeps("instagram"))).status).toBe(200);
    expect((await leadsOf("igsid-outage"))[0]?.messages.map((m) => m.body)).toEqual(["Anyone there?"]);
  });

  it("answers 200, not 500 forever, when a value that slipped past core makes the database refuse the delivery", async () => {
    const logged = logLines.length;
    // A parser that forgot checkInboundEvent: the text keeps its NUL.
    const careless: MetaWebhookDeps["parse"] = (body, receivedAt) => {
      const parsed = parseInstagramDelivery(body, receivedAt);
      const groups = parsed.groups.map((group) => ({
        ...group,
        events: group.events.map((event) => (event.kind === "message" ? { ...event, text: `${event.text}\u0000` } : event)),
      }));
      return { ...parsed, groups };
    };
    const payload = ig.delivery([ig.entry(IG_ACCOUNT, [ig.text({ business: IG_ACCOUNT, lead: "igsid-slipped" }, "poisoned later")])]);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await handleMetaDelivery(signed(payload), metaDeps("instagram", { parse: careless }))).status).toBe(200);
    }
    expect(await leadsOf("igsid-slipped")).toEqual([]);
    const failed = await t.db.asSystem((tx) => tx.webhookEvent.findMany({ where: { status: "failed" } }));
    expect(failed).toHaveLength(1);
    const warnings = logLines.slice(logged).map((line) => JSON.parse(line) as { msg: string; sqlState?: string });
    expect(warnings).toContainEqual(expect.objectContaining({ msg: "webhook capture refused by the database; kept as failed", sqlState: "22P05" }));
    for (const line of logLines.slice(logged)) expect(line).not.toContain("poisoned later");
  });
});
