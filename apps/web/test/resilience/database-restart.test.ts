// Check 4 (docs/decisions/0017): signed deliveries arrive at a steady rate while the database
// crashes (immediate shutdown) and comes back. A 200 is a promise that the message is stored: none
// may be lost. Deliveries refused during the outage must be 5xx (Meta retries those), and the
// retried deliveries are stored once.
import { createDb, type Db } from "@audnix/db";
import { instagramFake, signedMetaRequest } from "@audnix/integrations";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectChannel, createOwner } from "../../../jobs/test/integration/follow-up-fixtures.ts";
import type { WebServer } from "../e2e/web-server.ts";
import { recordFigures, tally } from "./figures.ts";
import { startOwnedPostgres, type OwnedPostgres } from "./owned-postgres.ts";
import { startProductionServer } from "./resilience-server.ts";
import { RESILIENCE_SEED, scale } from "./scale.ts";
import { webhookSecrets } from "./webhook-secrets.ts";

const CHECK = "4 database crash under webhook load";
const IG_ACCOUNT = "17841400000000444";
const LOAD_INTERVAL_MS = 50;
const REQUEST_TIMEOUT_MS = 30_000;
// Meta redelivers what got no 200; the check does the same, a few times, once the database is back.
const RETRY_ROUNDS = 5;
const RETRY_PAUSE_MS = 500;

const secrets = webhookSecrets(RESILIENCE_SEED);
let postgres: OwnedPostgres;
let db: Db;
let server: WebServer;

beforeAll(async () => {
  postgres = await startOwnedPostgres();
  db = createDb({ url: postgres.appUrl, maxConnections: 2 });
  const owner = await createOwner(db);
  await connectChannel(db, { userId: owner, channel: "instagram", externalAccountId: IG_ACCOUNT, displayName: "@restart", credentials: { accessToken: "restart-ig-token" } });
  server = await startProductionServer(postgres.appUrl, secrets);
});

afterAll(async () => {
  await server?.stop();
  await db?.close();
  await postgres?.destroy();
});

interface Delivery {
  mid: string;
  body: string;
  headers: Record<string, string>;
  /** Status of each attempt in order; null: no answer at all. */
  attempts: (number | null)[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it(`${CHECK}: no 200 lost, outage answers are 5xx, retries stored once`, async ({ task }) => {
  const url = `http://127.0.0.1:${new URL(server.url).port}/api/webhook/instagram`;
  const ig = instagramFake({ seed: `restart-${RESILIENCE_SEED}` });
  const deliveries: Delivery[] = [];
  const inFlight: Promise<void>[] = [];
  const post = async (delivery: Delivery) => {
    const status = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      .then(async (response) => (await response.arrayBuffer(), response.status))
      .catch(() => null);
    delivery.attempts.push(status);
  };

  // The load runs on its own clock while the database goes down and comes back.
  let loading = true;
  const load = (async () => {
    for (let n = 0; loading; n++) {
      const item = ig.text({ business: IG_ACCOUNT, lead: `restart-lead-${n % 25}` }, `Message ${n}`);
      const request = signedMetaRequest(ig.delivery([ig.entry(IG_ACCOUNT, [item])]), secrets.instagram);
      const delivery: Delivery = { mid: item.message?.mid ?? "", body: request.body, headers: request.headers, attempts: [] };
      deliveries.push(delivery);
      inFlight.push(post(delivery));
      await pause(LOAD_INTERVAL_MS);
    }
  })();
  await pause(scale.loadBeforeAndAfterMs);
  const crashedAt = performance.now();
  await postgres.crash();
  await pause(scale.outageMs);
  await postgres.restart();
  const outageMs = Math.round(performance.now() - crashedAt);
  await pause(scale.loadBeforeAndAfterMs);
  loading = false;
  await load;
  await Promise.all(inFlight);

  const firstAnswers = deliveries.map((delivery) => delivery.attempts[0] ?? null);
  const refused = deliveries.filter((delivery) => delivery.attempts[0] !== 200);
  for (let round = 0; round < RETRY_ROUNDS && refused.some((delivery) => delivery.attempts.at(-1) !== 200); round++) {
    await Promise.all(refused.filter((delivery) => delivery.attempts.at(-1) !== 200).map(post));
    await pause(RETRY_PAUSE_MS);
  }

  const rows = await db.asSystem((tx) =>
    tx.message.groupBy({ by: ["providerMessageId"], where: { providerMessageId: { in: deliveries.map((d) => d.mid) } }, _count: true }),
  );
  const stored = new Map(rows.map((row) => [row.providerMessageId, row._count]));
  const lostAfter200 = deliveries.filter((delivery) => delivery.attempts.includes(200) && !stored.has(delivery.mid));
  const duplicated = [...stored.values()].filter((count) => count > 1).length;
  const notFiveHundred = refused.filter((delivery) => delivery.attempts[0] === null || (delivery.attempts[0] ?? 0) < 500);
  const neverAccepted = refused.filter((delivery) => delivery.attempts.at(-1) !== 200);

  recordFigures(task, CHECK, [
    ["deliveries (one every 50 ms)", deliveries.length],
    ["database down (crash to accepting again), ms", outageMs],
    ["first answers by status (none: no answer)", tally(firstAnswers)],
    ["refused first time, not 5xx", notFiveHundred.length],
    ["refused, then accepted on retry", refused.length - neverAccepted.length],
    ["never accepted after retries", neverAccepted.length],
    ["stored / deliveries", `${stored.size} / ${deliveries.length}`],
    ["200 answered but not stored (lost)", lostAfter200.length],
    ["stored twice", duplicated],
  ]);

  expect.soft(lostAfter200.length, "deliveries answered 200 that are not stored").toBe(0);
  expect.soft(notFiveHundred.map((delivery) => delivery.attempts[0] ?? null), "first answers of refused deliveries that were not 5xx").toEqual([]);
  expect.soft(neverAccepted.length, "deliveries still refused after the database came back").toBe(0);
  expect.soft(stored.size, "deliveries stored").toBe(deliveries.length);
  expect.soft(duplicated, "deliveries stored twice").toBe(0);
});
