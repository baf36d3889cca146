import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createElevenLabsSynthesizer, type ElevenLabsSynthesizerOptions } from "../src/elevenlabs/elevenlabs-synthesizer.ts";
import { oggCrc } from "../src/elevenlabs/fake-audio.ts";
import { startFakeElevenLabs, type FakeElevenLabs } from "../src/elevenlabs/fake-elevenlabs.ts";
import { generationErrorOf } from "./generation-error.ts";

const KEY = "sk_test_elevenlabs_synth_key";
const TEXT = "Hi Maya, it's Sam from Sunny Yoga. We kept a spot for you on Thursday at seven.";

let fake: FakeElevenLabs;
beforeEach(async () => {
  fake = await startFakeElevenLabs({ apiKey: KEY });
});
afterEach(async () => {
  await fake.close();
});

function synthesizer(overrides: Partial<ElevenLabsSynthesizerOptions> = {}) {
  return createElevenLabsSynthesizer({ apiKey: KEY, baseUrl: fake.url, voiceId: "JBFqnCBsd6RMkjVDRZzb", timeoutMs: 5_000, ...overrides });
}

/** Walks the Ogg pages, checking each CRC; returns the page count. */
function oggPages(bytes: Uint8Array): number {
  let offset = 0;
  let pages = 0;
  while (offset < bytes.length) {
    expect(new TextDecoder().decode(bytes.subarray(offset, offset + 4))).toBe("OggS");
    const segments = bytes[offset + 26]!;
    const size = 27 + segments + bytes.subarray(offset + 27, offset + 27 + segments).reduce((sum, lace) => sum + lace, 0);
    const page = bytes.slice(offset, offset + size);
    const stored = new DataView(page.buffer).getUint32(22, true);
    new DataView(page.buffer).setUint32(22, 0, true);
    expect(oggCrc(page)).toBe(stored);
    offset += size;
    pages += 1;
  }
  return pages;
}

describe("createElevenLabsSynthesizer", () => {
  it("returns an Ogg/Opus voice note by default (what WhatsApp needs)", async () => {
    const result = await synthesizer().synthesize({ text: TEXT });

    expect(result.contentType).toBe("audio/ogg");
    expect(oggPages(result.audio)).toBe(3);
    expect(new TextDecoder().decode(result.audio.subarray(28, 36))).toBe("OpusHead");
    expect(fake.requests).toEqual([{ voiceId: "JBFqnCBsd6RMkjVDRZzb", outputFormat: "opus_48000_64", text: TEXT, modelId: "eleven_multilingual_v2" }]);
  });

  it("returns MP3 when asked, and uses the voice a request names", async () => {
    const result = await synthesizer({ outputFormat: "mp3_44100_128", modelId: "eleven_turbo_v2_5" }).synthesize({ text: TEXT, voiceId: "other-voice" });

    expect(result.contentType).toBe("audio/mpeg");
    expect([...result.audio.subarray(0, 2)]).toEqual([0xff, 0xfb]);
    expect(fake.requests[0]).toMatchObject({ voiceId: "other-voice", outputFormat: "mp3_44100_128", modelId: "eleven_turbo_v2_5" });
  });

  it("a rejected key is not retryable and is never quoted", async () => {
    const wrong = "sk_wrong_elevenlabs_key_123";
    const error = await generationErrorOf(synthesizer({ apiKey: wrong }).synthesize({ text: TEXT }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("401");
    expect(error.message).not.toContain(wrong);
    expect(fake.requests).toHaveLength(0);
  });

  it.each([429, 500, 503])("HTTP %i is retryable", async (status) => {
    fake.failNext({ status });
    const error = await generationErrorOf(synthesizer().synthesize({ text: TEXT }));
    expect(error.retryable).toBe(true);
  });

  it("an unreachable server is retryable", async () => {
    await fake.close();
    const error = await generationErrorOf(synthesizer().synthesize({ text: TEXT }));
    expect(error).toMatchObject({ retryable: true, message: "ElevenLabs could not be reached" });
    fake = await startFakeElevenLabs({ apiKey: KEY });
  });

  it("refuses a 200 that is not audio", async () => {
    fake.failNext({ status: 200, body: { ok: true } });
    const error = await generationErrorOf(synthesizer().synthesize({ text: TEXT }));
    expect(error.retryable).toBe(false);
  });
});
