// Ingest benchmark: signed Instagram deliveries against the production build of apps/web, next to
// the database's own ceiling for the same writes (captureDelivery called directly, no HTTP), both
// measured in this run on this machine.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { parseInstagramDelivery } from "@audnix/core";
import { captureDelivery, createDb } from "@audnix/db";
import { repoRoot, withClient } from "@audnix/db/admin";
import { instagramFake, signMetaBody, type InstagramFake } from "@audnix/integrations";
import { setAnalyticsTriggers } from "./analytics-triggers.ts";
import { createBenchDatabase } from "./bench-database.ts";
import { printTable, runClosedLoop, summarize } from "./stats.ts";

const CONCURRENCY = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const ACCOUNT = "17841400000000042";
const LEADS = 1000;
const appSecret = randomBytes(16).toString("hex");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const fakes = new Map<string, InstagramFake>();

/** One delivery as Meta would send it: a text from one of LEADS senders, with a unique message id. */
function nextDelivery(run: string, worker: number, iteration: number): string {
  const seed = `${run}-${worker}`;
  const ig = fakes.get(seed) ?? instagramFake({ seed });
  fakes.set(seed, ig);
  const lead = `igsid-${(worker * 7919 + iteration) % LEADS}`;
  return JSON.stringify(ig.delivery([ig.entry(ACCOUNT, [ig.text({ business: ACCOUNT, lead }, "Hi! Is this still available?")])]));
}

async function startWebServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const web = path.join(repoRoot, "apps/web");
  const child = spawn(process.execPath, ["server.ts"], {
    cwd: web,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET: randomBytes(24).toString("hex"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      INSTAGRAM_APP_SECRET: appSecret,
      INSTAGRAM_WEBHOOK_VERIFY_TOKEN: "bench",
      LOG_LEVEL: "warn",
    },
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error("the web server did not become healthy within 30 s");
}

export async function benchIngest(): Promise<void> {
  console.log(`ingest: building apps/web (production)…`);
  const build = spawnSync("pnpm", ["--filter", "@audnix/web", "build"], { cwd: repoRoot, stdio: "ignore" });
  if (build.status !== 0) throw new Error("apps/web build failed: run `pnpm --filter @audnix/web build` to see why");

  const bench = await createBenchDatabase();
  const { adminUrl, appUrl } = bench;

  const db = createDb({ url: appUrl, maxConnections: CONCURRENCY });
  const port = await freePort();
  let server: ChildProcess | undefined;
  try {
    await db.asSystem(async (tx) => {
      const user = await tx.user.create({ data: { email: "bench@audnix.local", plan: "pro" } });
      await tx.connection.create({ data: { userId: user.id, channel: "instagram", externalAccountId: ACCOUNT, status: "connected" } });
    });
    const reset = () =>
      withClient(adminUrl, (c) =>
        c.query("TRUNCATE leads, messages, webhook_events, lead_facts CASCADE; UPDATE users SET leads_used = 0; DELETE FROM graphile_worker._private_jobs;"),
      );

    const direct = (run: string) => async (worker: number, iteration: number) => {
      const body = nextDelivery(run, worker, iteration);
      await captureDelivery(db, {
        delivery: parseInstagramDelivery(JSON.parse(body), new Date()),
        deliveryId: createHash("sha256").update(body).digest("hex"),
        receivedAt: new Date(),
      });
    };
    const http = (run: string) => async (worker: number, iteration: number) => {
      const body = nextDelivery(run, worker, iteration);
      const response = await fetch(`http://127.0.0.1:${port}/api/webhook/instagram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signMetaBody(body, appSecret) },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    };

    console.log(`ingest: baseline (captureDelivery straight to Postgres, ${CONCURRENCY} clients, ${SECONDS} s)…`);
    await runClosedLoop("warm-up", CONCURRENCY, WARMUP_SECONDS * 1000, direct("warm-db"));
    await reset();
    const baseline = summarize(await runClosedLoop("baseline: same writes + add_job, no HTTP", CONCURRENCY, SECONDS * 1000, direct("db")));
    await reset();
    // What keeping the analytics rollups costs capture: the same baseline with their triggers off.
    await setAnalyticsTriggers(adminUrl, false);
    const withoutRollups = summarize(
      await runClosedLoop("baseline without the analytics triggers", CONCURRENCY, SECONDS * 1000, direct("db-no-rollups")),
    );
    await setAnalyticsTriggers(adminUrl, true);
    await reset();

    server = await startWebServer(appUrl, port);
    console.log(`ingest: signed Instagram webhooks over HTTP (${CONCURRENCY} senders, ${SECONDS} s)…`);
    await runClosedLoop("warm-up", CONCURRENCY, WARMUP_SECONDS * 1000, http("warm-http"));
    await reset();
    const webhooks = summarize(await runClosedLoop("POST /api/webhook/instagram (production build)", CONCURRENCY, SECONDS * 1000, http("http")));

    printTable(
      `Ingest (${CONCURRENCY} concurrent senders, ${SECONDS} s each, ${bench.embedded ? "embedded Postgres 18" : "DATABASE_URL's server"})`,
      [baseline, withoutRollups, webhooks],
      baseline,
      ">= 1,500 deliveries/s, p99 < 50 ms, >= 0.7x baseline",
    );
  } finally {
    server?.kill("SIGTERM");
    await db.close();
    await bench.drop();
  }
}
