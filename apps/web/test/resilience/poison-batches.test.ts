// Check 2 (docs/decisions/0017): signed Meta batches in which some entries carry poison (NUL, a
// lone surrogate, a timestamp no date can hold) next to good entries, sent to the production
// server for a connected owner. Every answer must be 200 and every good entry's message stored,
// once; a poisoned entry may be stored cleaned or skipped, never fail its batch.
import { createSeededRandom, type RandomSource } from "@audnix/core";
import { useTestDatabase } from "@audnix/db/testing";
import {
  instagramFake,
  signedMetaRequest,
  whatsappFake,
  type InstagramEntry,
  type InstagramMessagingItem,
  type WhatsAppEntry,
} from "@audnix/integrations";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectChannel, createOwner } from "../../../jobs/test/integration/follow-up-fixtures.ts";
import type { WebServer } from "../e2e/web-server.ts";
import { recordFigures, tally } from "./figures.ts";
import { pick } from "./fuzz-poisons.ts";
import { startProductionServer } from "./resilience-server.ts";
import { RESILIENCE_SEED, scale } from "./scale.ts";
import { webhookSecrets } from "./webhook-secrets.ts";

const CHECK = "2 poison entries among good ones";
const ENTRIES_PER_BATCH = 6;
const IG_ACCOUNT = "17841400000000777";
const WA_NUMBER = { phoneNumberId: "100000000000777", displayPhoneNumber: "+1 555 0177" };

const database = useTestDatabase();
const secrets = webhookSecrets(RESILIENCE_SEED);
let server: WebServer;

beforeAll(async () => {
  const owner = await createOwner(database.db);
  await connectChannel(database.db, { userId: owner, channel: "instagram", externalAccountId: IG_ACCOUNT, displayName: "@poison", credentials: { accessToken: "poison-ig-token" } });
  await connectChannel(database.db, { userId: owner, channel: "whatsapp", externalAccountId: WA_NUMBER.phoneNumberId, displayName: WA_NUMBER.displayPhoneNumber, credentials: { accessToken: "poison-wa-token" } });
  server = await startProductionServer(database.appUrl, secrets);
});

afterAll(async () => {
  await server?.stop();
});

// What a poisoned entry carries; the good entries around it carry none.
const POISONS = ["NUL in the text", "lone surrogate in the text", "timestamp out of range", "NUL in the sender id"] as const;
type Poison = (typeof POISONS)[number];

interface Batch {
  channel: "instagram" | "whatsapp";
  payload: unknown;
  /** Message ids of entries without poison: each must be stored. */
  goodIds: string[];
  /** Message ids of poisoned entries (poisoned or beside the poison): stored cleaned or skipped. */
  poisonedEntryIds: string[];
  poisons: Poison[];
}

function instagramBatch(random: RandomSource, batch: number): Batch {
  const ig = instagramFake({ seed: `poison-${RESILIENCE_SEED}-${batch}` });
  const out: Batch = { channel: "instagram", payload: null, goodIds: [], poisonedEntryIds: [], poisons: [] };
  const entries: InstagramEntry[] = [];
  for (let n = 0; n < ENTRIES_PER_BATCH; n++) {
    const lead = `poison-ig-lead-${batch}-${n}`;
    const items: InstagramMessagingItem[] = [ig.text({ business: IG_ACCOUNT, lead }, `Hi, entry ${n} of batch ${batch}`)];
    const ids = items.map((item) => item.message?.mid ?? "");
    if (random() < 0.4) {
      const poison = pick(random, POISONS);
      const [item] = items;
      if (item?.message) {
        if (poison === "NUL in the text") item.message.text = "Hi\u0000 there";
        if (poison === "lone surrogate in the text") item.message.text = "Hi \ud800 there";
        if (poison === "timestamp out of range") item.timestamp = 1e16;
        if (poison === "NUL in the sender id") item.sender.id = `lead\u0000${batch}-${n}`;
      }
      // A good message in the same entry as the poison.
      items.push(ig.text({ business: IG_ACCOUNT, lead: `${lead}-neighbour` }, "Hello from the same entry"));
      out.poisons.push(poison);
      out.poisonedEntryIds.push(...ids, items[1]?.message?.mid ?? "");
    } else {
      out.goodIds.push(...ids);
    }
    entries.push(ig.entry(IG_ACCOUNT, items));
  }
  out.payload = ig.delivery(entries);
  return out;
}

function whatsappBatch(random: RandomSource, batch: number): Batch {
  const wa = whatsappFake({ seed: `poison-${RESILIENCE_SEED}-${batch}` });
  const out: Batch = { channel: "whatsapp", payload: null, goodIds: [], poisonedEntryIds: [], poisons: [] };
  const entries: WhatsAppEntry[] = [];
  for (let n = 0; n < ENTRIES_PER_BATCH; n++) {
    const change = wa.text(WA_NUMBER, { waId: String(15_551_000_000 + batch * 100 + n), name: `Lead ${n}` }, `Hi, entry ${n} of batch ${batch}`);
    const message = change.value.messages?.[0];
    const id = message?.id ?? "";
    if (message && random() < 0.4) {
      const poison = pick(random, POISONS);
      if (poison === "NUL in the text") message.text = { body: "Hi\u0000 there" };
      if (poison === "lone surrogate in the text") message.text = { body: "Hi \udfff there" };
      if (poison === "timestamp out of range") message.timestamp = "99999999999999999999";
      if (poison === "NUL in the sender id") message.from = `1555\u0000${n}`;
      out.poisons.push(poison);
      out.poisonedEntryIds.push(id);
    } else {
      out.goodIds.push(id);
    }
    entries.push(wa.entry([change]));
  }
  out.payload = wa.delivery(entries);
  return out;
}

async function storedIds(ids: string[]): Promise<string[]> {
  const rows = await database.db.asSystem((tx) =>
    tx.message.findMany({ where: { providerMessageId: { in: ids } }, select: { providerMessageId: true } }),
  );
  return rows.map((row) => row.providerMessageId ?? "");
}

it(`${CHECK}: answered 200, every good entry stored once`, async ({ task }) => {
  const random = createSeededRandom(RESILIENCE_SEED);
  const port = Number(new URL(server.url).port);
  const batches = Array.from({ length: scale.poisonBatches }, (_, n) => (n % 2 === 0 ? instagramBatch(random, n) : whatsappBatch(random, n)));
  const statuses: number[] = [];
  for (const batch of batches) {
    const { body, headers } = signedMetaRequest(batch.payload, batch.channel === "instagram" ? secrets.instagram : secrets.whatsapp);
    const response = await fetch(`http://127.0.0.1:${port}/api/webhook/${batch.channel}`, { method: "POST", headers, body });
    await response.arrayBuffer();
    statuses.push(response.status);
  }

  const goodIds = batches.flatMap((batch) => batch.goodIds);
  const poisonedEntryIds = batches.flatMap((batch) => batch.poisonedEntryIds);
  const goodStored = await storedIds(goodIds);
  const poisonedStored = await storedIds(poisonedEntryIds);
  const poisons = batches.flatMap((batch) => batch.poisons);
  recordFigures(task, CHECK, [
    ["batches (Instagram + WhatsApp)", `${batches.length} x ${ENTRIES_PER_BATCH} entries`],
    ["answers by status", tally(statuses)],
    ["poisoned entries", `${poisons.length} (${tally(poisons)})`],
    ["good messages stored / sent", `${new Set(goodStored).size} / ${goodIds.length}`],
    ["messages of poisoned entries stored (cleaned) / sent", `${poisonedStored.length} / ${poisonedEntryIds.length}`],
  ]);

  expect.soft(statuses, "every batch answered 200").toEqual(batches.map(() => 200));
  expect.soft(goodStored.sort(), "every good entry's message stored once").toEqual([...goodIds].sort());
});
