import { useTestDatabase } from "@audnix/db/testing";
import {
  createElevenLabsSynthesizer,
  FAKE_ELEVENLABS_API_KEY,
  FAKE_WHATSAPP_DEFAULT_NUMBER,
  startFakeElevenLabs,
  startFakeWhatsappCloud,
  type FakeElevenLabs,
  type FakeWhatsappCloud,
} from "@audnix/integrations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChannel, createEngine, createOwner, leadWrote, makeAllJobsDue, outboundMessages, saveBrand } from "./follow-up-fixtures.ts";

const t = useTestDatabase();
let whatsapp: FakeWhatsappCloud;
let elevenlabs: FakeElevenLabs;

beforeAll(async () => {
  whatsapp = await startFakeWhatsappCloud();
  elevenlabs = await startFakeElevenLabs();
});

afterAll(async () => {
  await whatsapp?.close();
  await elevenlabs?.close();
});

describe("voice notes", () => {
  it("a WhatsApp follow-up step can go out as a metered voice note served from APP_URL/media/<id>", async () => {
    const owner = await createOwner(t.db);
    await saveBrand(t.db, owner, { voiceEnabled: true, brandName: "Glow Studio" });
    await connectChannel(t.db, {
      userId: owner,
      channel: "whatsapp",
      externalAccountId: FAKE_WHATSAPP_DEFAULT_NUMBER.id,
      displayName: FAKE_WHATSAPP_DEFAULT_NUMBER.displayPhoneNumber,
      credentials: { accessToken: FAKE_WHATSAPP_DEFAULT_NUMBER.accessToken },
    });
    // random() = 0: every eligible message becomes a voice note, every delay is its minimum.
    const engine = createEngine(t.db, {
      whatsappGraphBaseUrl: whatsapp.url,
      random: () => 0,
      synthesizer: createElevenLabsSynthesizer({ apiKey: FAKE_ELEVENLABS_API_KEY, baseUrl: elevenlabs.url, voiceId: "fake-voice" }),
    });
    const leadId = await leadWrote(t.db, owner, {
      channel: "whatsapp",
      accountId: FAKE_WHATSAPP_DEFAULT_NUMBER.id,
      senderId: "15550104242",
      senderName: "Lena Berg",
      text: "I'm interested in your evening classes.",
    });

    await engine.runDueJobs();
    await makeAllJobsDue(t.db);
    await engine.runDueJobs();

    const sent = whatsapp.sentMessages.filter((message) => message.to === "15550104242");
    // The first message greets in text; the follow-up is the voice note (Ogg/Opus, voice: true).
    expect(sent.map((message) => message.type)).toEqual(["text", "audio"]);
    expect(sent[1]?.payload).toMatchObject({ audio: { voice: true } });
    const url = (sent[1]?.payload as { audio?: { link: string } }).audio?.link;
    expect(url).toMatch(/^https:\/\/app\.example\.test\/media\/[0-9a-f-]{36}$/);
    expect(elevenlabs.requests).toHaveLength(1);

    const assetId = url!.split("/").pop()!;
    const asset = await t.db.asUser(owner, (tx) => tx.mediaAsset.findUniqueOrThrow({ where: { id: assetId } }));
    expect(asset).toMatchObject({ leadId, contentType: "audio/ogg" });
    expect(asset.bytes.byteLength).toBeGreaterThan(0);
    const user = await t.db.asUser(owner, (tx) => tx.user.findUniqueOrThrow({ where: { id: owner } }));
    expect(Number(user.voiceMinutesUsed)).toBeGreaterThan(0);
    const messages = await outboundMessages(t.db, owner, leadId);
    expect(messages[1]).toMatchObject({ metadata: expect.objectContaining({ mode: "voice" }), deliveryStatus: "sent" });
  });
});
