import { randomUUID } from "node:crypto";
import type { InboundMessageEvent, ParsedDelivery } from "@audnix/core";
import { captureDelivery, LIVE_EVENTS_CHANNEL, listenForLiveEvents, type LiveEvent, type LiveEventsListener } from "@audnix/db";
import { withClient } from "@audnix/db/admin";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { liveEventStream } from "../../app/live/event-stream.server.ts";
import { createLiveHub } from "../../app/live/live-hub.server.ts";
import type * as LiveRoute from "../../app/routes/api.live.ts";
import type * as LiveUpdates from "../../app/live/live-updates.server.ts";
import type * as Sessions from "../../app/session.server.ts";

const t = useTestDatabase();
let owner: string;
let stranger: string;

beforeAll(async () => {
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
});

/** A sandbox message to `userId`, captured the way every webhook is. */
async function simulateMessage(userId: string, from: string): Promise<void> {
  const event: InboundMessageEvent = {
    kind: "message",
    accountId: userId,
    providerMessageId: randomUUID(),
    sender: { externalId: `sandbox:${from}`, name: from, email: null, phone: null },
    text: "Hello!",
    attachments: [],
    sentAt: new Date(),
    thread: null,
    optOut: false,
  };
  const delivery: ParsedDelivery = {
    channel: "sandbox",
    groups: [{ accountId: userId, rawEntries: [], events: [event] }],
    rejected: [],
  };
  await captureDelivery(t.db, { delivery, deliveryId: randomUUID(), receivedAt: new Date() });
}

const leadIdOf = (userId: string, from: string) =>
  t.db.asUser(userId, (tx) => tx.lead.findFirstOrThrow({ where: { externalId: `sandbox:${from}` } })).then((lead) => lead.id);

const notify = (payload: string) =>
  withClient(t.adminUrl, (client) => client.query("SELECT pg_notify($1, $2)", [LIVE_EVENTS_CHANNEL, payload]));

/** Starts a listener and resolves once its LISTEN is in place, so nothing sent afterwards is missed. */
async function startListener(events: LiveEvent[], onListening: (reconnected: boolean) => void = () => {}) {
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const listener = listenForLiveEvents(t.appUrl, (event) => events.push(event), {
    retry: { initialDelayMs: 20, maxDelayMs: 200 },
    onListening: ({ reconnected }) => {
      onListening(reconnected);
      listening();
    },
  });
  await ready;
  return listener;
}

describe("listenForLiveEvents", () => {
  const started: LiveEventsListener[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((listener) => listener.close()));
  });

  it("hears each new lead and each further message the capture transaction records", async () => {
    const events: LiveEvent[] = [];
    started.push(await startListener(events));
    await simulateMessage(owner, "maya");
    const leadId = await leadIdOf(owner, "maya");
    await vi.waitFor(() => expect(events).toEqual([{ userId: owner, type: "lead.created", leadId }]));
    await simulateMessage(owner, "maya");
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[1]).toEqual({ userId: owner, type: "message.created", leadId });
  });

  it("ignores payloads that are not live events", async () => {
    const events: LiveEvent[] = [];
    started.push(await startListener(events));
    const valid = { userId: owner, type: "message.created", leadId: randomUUID() };
    await notify("not json");
    await notify(JSON.stringify({ userId: "not-a-uuid", type: "lead.created", leadId: randomUUID() }));
    await notify(JSON.stringify({ ...valid, type: "lead.deleted" }));
    await notify(JSON.stringify(valid));
    // Notifications arrive in order: once the valid one is here, the others were dropped.
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect(events).toEqual([valid]);
  });

  it("reconnects after the database drops its connection, and says so", async () => {
    const events: LiveEvent[] = [];
    const reconnects: boolean[] = [];
    started.push(await startListener(events, (reconnected) => reconnects.push(reconnected)));
    const terminated = await withClient(t.adminUrl, (client) =>
      client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1", [
        `LISTEN ${LIVE_EVENTS_CHANNEL}`,
      ]),
    );
    expect(terminated.rowCount).toBe(1);
    await vi.waitFor(() => expect(reconnects).toEqual([false, true]));

    await simulateMessage(owner, "after-reconnect");
    const leadId = await leadIdOf(owner, "after-reconnect");
    await vi.waitFor(() => expect(events).toContainEqual({ userId: owner, type: "lead.created", leadId }));
  });
});

/** Reads an event stream until `done` says the text so far is enough. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`stream ended before the expected text arrived:\n${text}`);
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

describe("liveEventStream", () => {
  it("streams the user's own events, tells the browser how to reconnect, and keeps the line warm", async () => {
    const hub = createLiveHub();
    const abort = new AbortController();
    const response = liveEventStream({ userId: owner, hub, signal: abort.signal, heartbeatMs: 10 });
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("Cache-Control")).toContain("no-transform");
    const reader = response.body!.getReader();

    expect(await readUntil(reader, (text) => text.includes("\n\n"))).toMatch(/^retry: 3000\n/);
    await readUntil(reader, (text) => text.includes(": heartbeat"));

    const theirs = randomUUID();
    const mine = randomUUID();
    hub.publish({ userId: stranger, type: "lead.created", leadId: theirs });
    hub.publish({ userId: owner, type: "lead.created", leadId: mine });
    const text = await readUntil(reader, (received) => received.includes(mine));
    expect(text).toContain(`data: ${JSON.stringify({ type: "lead.created", leadId: mine })}\n\n`);
    expect(text).not.toContain(theirs);
    expect(text).not.toContain(owner);

    abort.abort();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(hub.size()).toBe(0);
  });

  it("releases its subscription when the reader cancels", async () => {
    const hub = createLiveHub();
    const response = liveEventStream({ userId: owner, hub, signal: new AbortController().signal });
    expect(hub.size()).toBe(1);
    await response.body!.cancel();
    expect(hub.size()).toBe(0);
  });

  it("asks every browser to reload after the listener missed events, and ends streams on shutdown", async () => {
    const hub = createLiveHub();
    const reader = liveEventStream({ userId: owner, hub, signal: new AbortController().signal }).body!.getReader();
    hub.resyncEveryone();
    await readUntil(reader, (text) => text.includes(`data: {"type":"resync"}`));
    hub.endAll();
    await readUntil(reader, () => false).catch((error: Error) => expect(error.message).toMatch(/stream ended/));
    expect(hub.size()).toBe(0);
  });
});

describe("GET /api/live", () => {
  let route: typeof LiveRoute;
  let liveUpdates: typeof LiveUpdates;
  let sessions: typeof Sessions;

  beforeAll(async () => {
    // The app's modules read their configuration once, when first imported.
    process.env.NODE_ENV = "test";
    process.env.DATABASE_URL = t.appUrl;
    process.env.LOG_LEVEL = "error";
    route = await import("../../app/routes/api.live.ts");
    liveUpdates = await import("../../app/live/live-updates.server.ts");
    sessions = await import("../../app/session.server.ts");
  });

  afterAll(async () => {
    await liveUpdates?.stopLiveUpdates();
  });

  const get = (headers: Record<string, string> = {}, signal?: AbortSignal) =>
    route.loader({ request: new Request("http://localhost/api/live", { headers, signal }), params: {}, context: {} });

  it("answers 401 JSON without a session", async () => {
    const response = await get();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "Sign in to receive live updates." });
  });

  it("streams the signed-in owner's captured leads as they happen", async () => {
    const signIn = await sessions.createUserSession(new Request("http://localhost/auth"), owner, "/dashboard");
    const cookie = (signIn.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const abort = new AbortController();
    const response = await get({ Cookie: cookie }, abort.signal);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await readUntil(reader, (text) => text.includes("retry: 3000"));

    // The process-wide listener starts with the first stream; notices sent before its LISTEN are
    // lost, so keep sending one until it comes through.
    const probe = randomUUID();
    const prober = setInterval(() => void notify(JSON.stringify({ userId: owner, type: "message.created", leadId: probe })), 50);
    try {
      await readUntil(reader, (text) => text.includes(probe));
    } finally {
      clearInterval(prober);
    }

    await simulateMessage(stranger, "not-for-owner");
    await simulateMessage(owner, "live-lead");
    const leadId = await leadIdOf(owner, "live-lead");
    const text = await readUntil(reader, (received) => received.includes(`{"type":"lead.created","leadId":"${leadId}"}`));
    expect(text).not.toContain(await leadIdOf(stranger, "not-for-owner"));
    abort.abort();
  });

  it("refuses an owner's 11th open stream with 429 until one of the ten closes; other owners are unaffected", async () => {
    const cookieOf = async (userId: string) =>
      ((await sessions.createUserSession(new Request("http://localhost/auth"), userId, "/dashboard")).headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
    const ownerCookie = await cookieOf(owner);
    const tabs = Array.from({ length: 10 }, () => new AbortController());
    try {
      for (const tab of tabs) expect((await get({ Cookie: ownerCookie }, tab.signal)).status).toBe(200);
      const refused = await get({ Cookie: ownerCookie });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(await refused.json()).toEqual({ error: "Live updates are open in 10 tabs already: close one to follow this one live." });

      const strangerTab = new AbortController();
      expect((await get({ Cookie: await cookieOf(stranger) }, strangerTab.signal)).status).toBe(200);
      strangerTab.abort();

      tabs[0]!.abort();
      const reopened = new AbortController();
      tabs.push(reopened);
      expect((await get({ Cookie: ownerCookie }, reopened.signal)).status).toBe(200);
    } finally {
      for (const tab of tabs) tab.abort();
    }
  });
});
