import { describe, expect, it } from "vitest";
import { inboundEmailAddress } from "../../src/connections/inbound-address.ts";

const DOMAIN = "inbound.audnix.local";
const bytes = (...values: number[]) => () => Uint8Array.from(values);
const zeros = () => new Uint8Array(10);

describe("inboundEmailAddress", () => {
  it("gives <slug>-<16 base32 characters>@<domain>, the random part from the injected bytes", () => {
    const address = inboundEmailAddress({ label: "Acme Studio", domain: DOMAIN, randomBytes: bytes(0xff, 0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0) });
    expect(address).toMatch(/^acme-studio-[a-z2-7]{16}@inbound\.audnix\.local$/);
    expect(address).toBe("acme-studio-74abencwpcnlzxxq@inbound.audnix.local");
  });

  it("carries 80 random bits: different bytes, different addresses", () => {
    const one = inboundEmailAddress({ label: "Acme", domain: DOMAIN, randomBytes: zeros });
    const other = inboundEmailAddress({ label: "Acme", domain: DOMAIN, randomBytes: bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 1) });
    expect(one).toBe("acme-aaaaaaaaaaaaaaaa@inbound.audnix.local");
    expect(other).toBe("acme-aaaaaaaaaaaaaaab@inbound.audnix.local");
  });

  it.each([
    ["Café Zoë & Co.", "caf-zo-co"],
    ["hello@studio-bloom.com", "hello-studio-bloom-c"],
    ["---", "inbox"],
    ["", "inbox"],
    ["A".repeat(500), "a".repeat(20)],
    ["Twenty characters ab-cut here", "twenty-characters-ab"],
  ])("makes a short, safe slug of %j", (label, slug) => {
    expect(inboundEmailAddress({ label, domain: DOMAIN, randomBytes: zeros })).toBe(`${slug}-aaaaaaaaaaaaaaaa@${DOMAIN}`);
  });

  it("refuses too few random bytes rather than hand out a guessable address", () => {
    expect(() => inboundEmailAddress({ label: "Acme", domain: DOMAIN, randomBytes: () => new Uint8Array(4) })).toThrow(/10 random bytes/);
  });
});
