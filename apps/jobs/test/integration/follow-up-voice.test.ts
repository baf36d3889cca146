import { useTestDatabase } from "@audnix/db/testing";
import {
  createElevenLabsSynthesizer,
  FAKE_ELEVENLABS_API_KEY,
  startFakeElevenLabs,
  startFakeInstagram,
  type FakeElevenLabs,
  type FakeInstagram,
} from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectFakeInstagram,
  createEngine,
  createOwner,
  instagramLeadWrote,
  makeAllJobsDue,
  outboundMessages,
  saveBrand,
} from "./follow-up-fixtures.ts";

const t = useTestDatabase();
let instagram: FakeInstagram;
let elevenlabs: FakeElevenLabs;

beforeAll(async () => {
  instagram = await startFakeInstagram();
  elevenlabs = await startFakeElevenLabs();
});

afterAll(async () => {
  await instagram?.close();
  await elevenlabs?.close();
});

describe("voice notes", () => {
  it("a follow-up step can go out as a metered voice note served from APP_URL/media/<id>", async () => {
    const owner = await createOwner(t.db);
    await saveBrand(t.db, owner, { voiceEnabled: true, brandName: "Glow Studio" });
    await connectFakeInstagram(t.db, owner, instagram);
    // random() = 0: every eligible message becomes a voice note, every delay is its minimum.
    const engine = createEngine(t.db, {
      instagramGraphBaseUrl: instagram.url,
      random: () => 0,
      synthesizer: createElevenLabsSynthesizer({ apiKey: FAKE_ELEVENLABS_API_KEY, baseUrl: elevenlabs.url, voiceId: "fake-voice" }),
    });
    const leadId = await instagramLeadWrote(t.db, owner, { senderId: "igsid-voice", senderName: "Lena Berg", text: "Do you do evening classes?" });

    await engine.runDueJobs();
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();

    const sent = instagram.sentMessages.filter((message) => message.recipientId === "igsid-voice");
    // The first message greets in text; the follow-up is the voice note.
    expect(sent[0]?.message).toHaveProperty("text");
    const url = (sent[1]?.message as { attachment?: { type: string; payload: { url: string } } }).attachment?.payload.url;
    expect(url).toMatch(/^https:\/\/app\.example\.test\/media\/[0-9a-f-]{36}$/);
    expect(elevenlabs.requests).toHaveLength(1);

    const assetId = url!.split("/").pop()!;
    const asset = await t.db.asUser(owner, (tx) => tx.mediaAsset.findUniqueOrThrow({ where: { id: assetId } }));
    expect(asset).toMatchObject({ leadId, contentType: "audio/ogg" });
    expect(asset.bytes.byteLength).toBeGreaterThan(0);
    const user = await t.db.asUser(owner, (tx) => tx.user.findUniqueOrThrow({ where: { id: owner } }));
    expect(Number(user.voiceMinutesUsed)).toBeGreaterThan(0);
    const messages = await outboundMessages(t.db, owner, leadId);
    expect(messages[1]?.metadata).toMatchObject({ mode: "voice", delivery: "sent" });
  });
});
