// Analytics benchmark: what the dashboard costs as an owner's history grows. One owner with
// BENCH_ANALYTICS_MESSAGES messages (default 200,000; BENCH_ANALYTICS_SCALE=full: 1,000,000) over a
// tenth as many leads and 180 days, the same shape at 10,000 messages, and other tenants beside
// them, all in one database. For both owners: the analytics overview, the charts, the lead list's
// first page and the whole /dashboard document (production build, signed-in session), p50/p95 and
// the ratio big/small measured in this run. Also: one 1,000-entry webhook batch for one owner (every
// message moves the same hot rollup rows) with and without the rollup triggers, and the rebuild.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import type { DeliveryGroup, InboundEvent } from "@audnix/core";
import { captureDelivery, createDb, createSession, loadAnalyticsOverview, loadAnalyticsSeries, rebuildAnalyticsRollups, type Db } from "@audnix/db";
import { repoRoot, withClient } from "@audnix/db/admin";
import { setAnalyticsTriggers } from "./analytics-triggers.ts";
import { createBenchDatabase } from "./bench-database.ts";
import { percentile } from "./stats.ts";

const FULL = process.env.BENCH_ANALYTICS_SCALE === "full";
const BIG_MESSAGES = Number(process.env.BENCH_ANALYTICS_MESSAGES ?? (FULL ? 1_000_000 : 200_000));
const SMALL_MESSAGES = 10_000;
const OTHER_TENANTS = 3;
const MESSAGES_PER_LEAD = 10;
const DAYS = 180;
const SAMPLES = Number(process.env.BENCH_ANALYTICS_SAMPLES ?? 40);
const NOW = new Date();

/**
 * One owner's history: `leads` leads spread over DAYS days, each with MESSAGES_PER_LEAD messages
 * (the lead writes, the AI replies, follow-up steps 1-2, the owner and the business app answer;
 * some sends failed), some converted with a value, some opted out. Written with plain SQL (the
 * triggers off: this is an import), then `app_analytics_rebuild` computes the rollups.
 */
async function seedOwner(adminUrl: string, email: string, leads: number): Promise<string> {
  return withClient(adminUrl, async (c) => {
    await c.query("BEGIN");
    const { rows } = await c.query<{ id: string }>("INSERT INTO users (email, plan) VALUES ($1, 'pro') RETURNING id", [email]);
    const userId = rows[0]!.id;
    await c.query("INSERT INTO brand_settings (user_id, timezone) VALUES ($1, 'Asia/Kolkata')", [userId]);
    await c.query(
      `INSERT INTO leads (user_id, external_id, channel, name, status, created_at, last_message_at, converted_at,
                          conversion_value_minor, conversion_currency, opted_out_at)
       SELECT $1, 'lead-' || i, (ARRAY['instagram', 'whatsapp', 'email', 'sandbox']::"Channel"[])[1 + i % 4], 'Lead ' || i,
              (CASE WHEN i % 25 = 0 THEN 'converted' WHEN i % 40 = 0 THEN 'opted_out' ELSE 'replied' END)::"LeadStatus",
              t, t + interval '9 hours',
              CASE WHEN i % 25 = 0 THEN t + interval '10 hours' END,
              CASE WHEN i % 50 = 0 THEN 1000 + i % 9000 END, CASE WHEN i % 50 = 0 THEN 'EUR' END,
              CASE WHEN i % 40 = 0 AND i % 25 <> 0 THEN t + interval '10 hours' END
         FROM generate_series(1, $2::int) AS i,
              LATERAL (SELECT $3::timestamptz - ($4::int * interval '1 day') * i / $2::int AS t) AS at`,
      [userId, leads, NOW, DAYS],
    );
    // j: 0, 2, 6 the lead; 1, 3 AI replies; 4, 5 follow-up steps 1 and 2; 7 the owner; 8 the business app; 9 step 3.
    await c.query(
      `INSERT INTO messages (user_id, lead_id, channel, direction, author, follow_up_step, body, delivery_status, sent_at)
       SELECT l.user_id, l.id, l.channel,
              (CASE WHEN j IN (0, 2, 6) THEN 'inbound' ELSE 'outbound' END)::"MessageDirection",
              (CASE WHEN j IN (0, 2, 6) THEN 'lead' WHEN j = 7 THEN 'owner' WHEN j = 8 THEN 'business_app' ELSE 'ai' END)::"MessageAuthor",
              CASE j WHEN 4 THEN 1 WHEN 5 THEN 2 WHEN 9 THEN 3 END,
              'message ' || j,
              (CASE WHEN j IN (0, 2, 6) THEN NULL WHEN j = 9 AND hashtext(l.id::text) % 10 = 0 THEN 'failed' ELSE 'sent' END)::"DeliveryStatus",
              l.created_at + j * interval '55 minutes'
         FROM leads l, generate_series(0, $2::int - 1) AS j
        WHERE l.user_id = $1`,
      [userId, MESSAGES_PER_LEAD],
    );
    await c.query("COMMIT");
    return userId;
  });
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function time(samples: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work(); // warm: plans cached, pages in memory
  const latencies: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const t0 = performance.now();
    await work();
    latencies.push(performance.now() - t0);
  }
  return stats(latencies);
}

/** The lead list's first page as its handler asks for it (packages/api/src/routers/leads/list.handler.ts). */
function leadListFirstPage(db: Db, userId: string) {
  return db.asUser(userId, (tx) =>
    tx.lead.findMany({
      where: { userId },
      orderBy: [{ lastMessageAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
      take: 51,
      select: { id: true, name: true, username: true, channel: true, status: true, lastMessageAt: true, createdAt: true, needsOwnerAt: true },
    }),
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The signed session cookie apps/web/app/session.server.ts reads (Remix's cookie signing: HMAC-SHA256, base64 without padding). */
function sessionCookie(sessionId: string, secret: string): string {
  // The id is ASCII, so Remix's btoa(unescape(encodeURIComponent(json))) is plain base64 of the JSON.
  const value = Buffer.from(JSON.stringify(sessionId)).toString("base64");
  const signature = createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, "");
  return `__Host-audnix_session=${encodeURIComponent(`${value}.${signature}`)}`;
}

async function startWeb(databaseUrl: string, port: number, jwtSecret: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["server.ts"], {
    cwd: path.join(repoRoot, "apps/web"),
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
    },
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error("the web server did not become healthy within 30 s");
}

/** One webhook delivery carrying `count` messages for one owner's sandbox account (one transaction). */
function batchOf(userId: string, count: number, tag: string) {
  const events: InboundEvent[] = Array.from({ length: count }, (_, i) => ({
    kind: "message",
    accountId: userId,
    providerMessageId: `${tag}.${i}`,
    sender: { externalId: `sandbox:${tag}-${i % 200}`, name: null, email: null, phone: null },
    text: "Hi! Is this still available?",
    attachments: [],
    sentAt: new Date(),
    thread: null,
    optOut: false,
  }));
  const group: DeliveryGroup = { accountId: userId, rawEntries: [{ tag }], events };
  return { delivery: { channel: "sandbox" as const, groups: [group], rejected: [] }, deliveryId: tag, receivedAt: new Date() };
}

export async function benchAnalytics(): Promise<void> {
  const bench = await createBenchDatabase();
  const { adminUrl } = bench;
  const db = createDb({ url: bench.appUrl, maxConnections: 8 });
  const jwtSecret = randomBytes(24).toString("hex");
  let server: ChildProcess | undefined;
  try {
    console.log(`analytics: seeding ${BIG_MESSAGES.toLocaleString("en")} + ${SMALL_MESSAGES.toLocaleString("en")} messages and ${OTHER_TENANTS} other tenants…`);
    await setAnalyticsTriggers(adminUrl, false);
    const big = await seedOwner(adminUrl, "big@audnix.local", BIG_MESSAGES / MESSAGES_PER_LEAD);
    const small = await seedOwner(adminUrl, "small@audnix.local", SMALL_MESSAGES / MESSAGES_PER_LEAD);
    for (let i = 0; i < OTHER_TENANTS; i += 1) await seedOwner(adminUrl, `other-${i}@audnix.local`, BIG_MESSAGES / MESSAGES_PER_LEAD / 10);
    await setAnalyticsTriggers(adminUrl, true);
    await withClient(adminUrl, (c) => c.query("ANALYZE"));

    const rebuildStarted = performance.now();
    await rebuildAnalyticsRollups(db, { userId: big });
    const rebuildMs = performance.now() - rebuildStarted;
    // A zone change regroups the rollups inside the settings save (the derived columns stay).
    const regroupStarted = performance.now();
    await withClient(adminUrl, (c) => c.query("UPDATE brand_settings SET timezone = 'Asia/Kathmandu' WHERE user_id = $1", [big]));
    const regroupMs = performance.now() - regroupStarted;
    for (const userId of [small, ...(await withClient(adminUrl, (c) => c.query<{ id: string }>("SELECT id FROM users WHERE email LIKE 'other-%'"))).rows.map((r) => r.id)]) {
      await rebuildAnalyticsRollups(db, { userId });
    }
    await withClient(adminUrl, (c) => c.query("ANALYZE"));

    console.log("analytics: building apps/web (production, under the e2e lock)…");
    const build = spawnSync("flock", ["/tmp/audnix-e2e.lock", "pnpm", "--filter", "@audnix/web", "build"], { cwd: repoRoot, stdio: "ignore" });
    if (build.status !== 0) throw new Error("apps/web build failed: run `pnpm --filter @audnix/web build` to see why");
    const port = await freePort();
    server = await startWeb(bench.appUrl, port, jwtSecret);
    const cookies = new Map<string, string>();
    for (const userId of [big, small]) {
      const session = await createSession(db, { userId, expiresAt: new Date(Date.now() + 3_600_000), userAgent: "bench" });
      cookies.set(userId, sessionCookie(session.id, jwtSecret));
    }
    const dashboard = async (userId: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/dashboard`, { headers: { cookie: cookies.get(userId)! }, redirect: "manual" });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`/dashboard answered ${response.status}`);
      return html;
    };

    const measures: { label: string; run: (userId: string) => Promise<unknown> }[] = [
      { label: "analytics overview (30 days vs the 30 before)", run: (userId) => loadAnalyticsOverview(db, userId, { preset: "30d" }, { now: NOW }) },
      { label: "charts: daily series + reply rate per step (30 days)", run: (userId) => loadAnalyticsSeries(db, userId, { preset: "30d" }, { now: NOW }) },
      { label: "charts: daily series (90 days)", run: (userId) => loadAnalyticsSeries(db, userId, { preset: "90d" }, { now: NOW }) },
      { label: "lead list, first page", run: (userId) => leadListFirstPage(db, userId) },
      { label: "whole /dashboard document (HTTP, production build)", run: dashboard },
    ];
    const rows: string[] = [];
    for (const { label, run } of measures) {
      const smallStats = await time(SAMPLES, () => run(small));
      const bigStats = await time(SAMPLES, () => run(big));
      const fmt = (n: number) => n.toFixed(2);
      rows.push(`| ${label} | ${fmt(smallStats.p50)} | ${fmt(smallStats.p95)} | ${fmt(bigStats.p50)} | ${fmt(bigStats.p95)} | ${(bigStats.p50 / smallStats.p50).toFixed(2)}x |`);
    }

    // Hot rows: a 1,000-entry delivery for one owner moves the same day's rollup rows 1,000 times.
    const batchMs: Record<string, number[]> = { on: [], off: [] };
    for (let round = 0; round < 3; round += 1) {
      for (const mode of ["off", "on"] as const) {
        await setAnalyticsTriggers(adminUrl, mode === "on");
        const t0 = performance.now();
        await captureDelivery(db, batchOf(small, 1000, `batch-${mode}-${round}`));
        batchMs[mode]!.push(performance.now() - t0);
      }
    }
    await setAnalyticsTriggers(adminUrl, true);

    const scale = `${BIG_MESSAGES.toLocaleString("en")} vs ${SMALL_MESSAGES.toLocaleString("en")} messages`;
    console.log(`\nAnalytics reads (${scale} for one owner, ${DAYS} days, + ${OTHER_TENANTS} tenants; ${SAMPLES} samples each; ms)`);
    console.log("| read | small p50 | small p95 | big p50 | big p95 | big/small p50 |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const row of rows) console.log(row);
    console.log("targets: big/small <= 2x");
    const median = (values: number[]) => stats(values).p50;
    console.log(
      `rollup upkeep, one 1,000-message delivery for one owner: ${median(batchMs.on!).toFixed(0)} ms with the triggers, ${median(batchMs.off!).toFixed(0)} ms without (median of 3)`,
    );
    console.log(`rebuild of the big owner (pnpm analytics:rebuild --owner): ${(rebuildMs / 1000).toFixed(1)} s; its zone change (regroup only): ${(regroupMs / 1000).toFixed(1)} s`);
  } finally {
    server?.kill("SIGTERM");
    await db.close();
    await bench.drop();
  }
}
