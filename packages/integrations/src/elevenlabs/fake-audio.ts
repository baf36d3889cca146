// Small but structurally real audio for the ElevenLabs fake: an Ogg/Opus stream (OpusHead and
// OpusTags pages, then 20 ms silent Opus frames, CRCs computed as RFC 3533 says) and MPEG-1 Layer III
// frames. Players and WhatsApp's format sniffing accept both; they just sound like silence.

const OPUS_SAMPLE_RATE = 48_000;
const OPUS_PRE_SKIP = 312;
const OPUS_FRAME_SAMPLES = 960; // 20 ms at 48 kHz
// TOC 0xF8 (CELT fullband, 20 ms, mono, one frame) + a frame that decodes to silence.
const OPUS_SILENT_FRAME = Uint8Array.of(0xf8, 0xff, 0xfe);
const OGG_BOS = 0x02;
const OGG_EOS = 0x04;

/** An Ogg/Opus stream of `frames` 20 ms silent frames. */
export function fakeOggOpus(frames: number): Uint8Array {
  const serial = 0x41756478; // "Audx"
  const head = new Uint8Array(19);
  const headView = new DataView(head.buffer);
  head.set(ascii("OpusHead"), 0);
  head[8] = 1; // version
  head[9] = 1; // mono
  headView.setUint16(10, OPUS_PRE_SKIP, true);
  headView.setUint32(12, OPUS_SAMPLE_RATE, true);
  const vendor = ascii("audnix-fake");
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  tags.set(ascii("OpusTags"), 0);
  new DataView(tags.buffer).setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  const packets = Array.from({ length: frames }, () => OPUS_SILENT_FRAME);
  return concat([
    oggPage({ serial, sequence: 0, granule: 0n, flags: OGG_BOS, packets: [head] }),
    oggPage({ serial, sequence: 1, granule: 0n, flags: 0, packets: [tags] }),
    oggPage({ serial, sequence: 2, granule: BigInt(OPUS_PRE_SKIP + frames * OPUS_FRAME_SAMPLES), flags: OGG_EOS, packets }),
  ]);
}

/** `frames` MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, mono, silent (zeroed side info). */
export function fakeMp3(frames: number): Uint8Array {
  const frameLength = Math.floor((144 * 128_000) / 44_100);
  const frame = new Uint8Array(frameLength);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  return concat(Array.from({ length: frames }, () => frame));
}

function oggPage(page: { serial: number; sequence: number; granule: bigint; flags: number; packets: Uint8Array[] }): Uint8Array {
  const lacing = page.packets.flatMap((packet) => [...Array<number>(Math.floor(packet.length / 255)).fill(255), packet.length % 255]);
  if (lacing.length > 255) throw new Error("an Ogg page holds at most 255 segments");
  const header = new Uint8Array(27 + lacing.length);
  const view = new DataView(header.buffer);
  header.set(ascii("OggS"), 0);
  header[4] = 0; // stream structure version
  header[5] = page.flags;
  view.setBigUint64(6, page.granule, true);
  view.setUint32(14, page.serial, true);
  view.setUint32(18, page.sequence, true);
  header[26] = lacing.length;
  header.set(lacing, 27);
  const bytes = concat([header, ...page.packets]);
  new DataView(bytes.buffer).setUint32(22, oggCrc(bytes), true);
  return bytes;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let crc = index << 24;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  return crc >>> 0;
});

/** Ogg's CRC-32: polynomial 0x04C11DB7, no reflection, zero initial value and final XOR. */
export function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc;
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
