/**
 * Random bytes in an inbound address: 80 bits, 16 base32 characters. Nobody can guess another
 * account's address, so nobody can have its mail routed to them (docs/decisions/0016).
 */
export const INBOUND_ADDRESS_RANDOM_BYTES = 10;

// RFC 4648 base32, lower-cased: letters and digits 2-7 only, so the address survives any mail system.
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const SLUG_MAX_LENGTH = 20;

export interface InboundAddressInput {
  /** What the owner will recognise the address by (the from name, or the from address). */
  label: string;
  /** The platform's inbound domain (the one its Mailgun route receives). */
  domain: string;
  /** Cryptographic randomness (node:crypto randomBytes in the app; fixed bytes in tests). */
  randomBytes: (size: number) => Uint8Array;
}

/** The platform-assigned inbound address of an account: `<slug>-<16 base32 characters>@<domain>`. */
export function inboundEmailAddress({ label, domain, randomBytes }: InboundAddressInput): string {
  const random = randomBytes(INBOUND_ADDRESS_RANDOM_BYTES);
  if (random.length < INBOUND_ADDRESS_RANDOM_BYTES) {
    throw new Error(`an inbound address needs ${INBOUND_ADDRESS_RANDOM_BYTES} random bytes`);
  }
  return `${slugOf(label)}-${base32(random.subarray(0, INBOUND_ADDRESS_RANDOM_BYTES))}@${domain}`;
}

// Lower-case letters and digits, other runs become one "-": readable, and valid in any local part.
function slugOf(label: string): string {
  const slug = label
    .slice(0, 200)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/^-+|-+$/g, "");
  return slug || "inbox";
}

function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(buffer << (5 - bits)) & 31] : out;
}
