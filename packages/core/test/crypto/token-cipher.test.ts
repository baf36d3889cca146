import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTokenCipher, decodeEncryptionKey, TokenCipherError, tokenKeyId } from "../../src/crypto/token-cipher.ts";

const oldKey = randomBytes(32);
const newKey = randomBytes(32);
const token = "IGAAJtokenvalue-EAAGm0PX4ZCps";

describe("token cipher (AES-256-GCM with key ids)", () => {
  it("round-trips, and never produces the same ciphertext twice (fresh nonce per encryption)", () => {
    const cipher = createTokenCipher(newKey);
    const first = cipher.encrypt(token);
    const second = cipher.encrypt(token);
    expect(first.ciphertext).not.toBe(second.ciphertext);
    expect(first.ciphertext).not.toContain(token);
    expect(first.keyId).toBe(tokenKeyId(newKey));
    expect(cipher.decrypt(first)).toBe(token);
    expect(cipher.decrypt(second)).toBe(token);
  });

  it("decrypts secrets sealed under an old key, flags them stale, and re-seals under the newest", () => {
    const sealedOld = createTokenCipher(oldKey).encrypt(token);
    const rotated = createTokenCipher(newKey, [oldKey]);
    expect(rotated.isStale(sealedOld)).toBe(true);
    expect(rotated.decrypt(sealedOld)).toBe(token);
    const resealed = rotated.encrypt(rotated.decrypt(sealedOld));
    expect(rotated.isStale(resealed)).toBe(false);
    // Once the old key is dropped from configuration, only re-sealed secrets still open.
    const newOnly = createTokenCipher(newKey);
    expect(newOnly.decrypt(resealed)).toBe(token);
    expect(() => newOnly.decrypt(sealedOld)).toThrow(TokenCipherError);
  });

  it("rejects altered ciphertext without echoing key or plaintext", () => {
    const cipher = createTokenCipher(newKey);
    const sealed = cipher.encrypt(token);
    const bytes = Buffer.from(sealed.ciphertext, "base64url");
    bytes[14] = (bytes[14] ?? 0) ^ 0xff;
    const error = (() => {
      try {
        cipher.decrypt({ ...sealed, ciphertext: bytes.toString("base64url") });
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("tampered ciphertext was accepted");
    })();
    expect(error).toBeInstanceOf(TokenCipherError);
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain(newKey.toString("base64"));
    expect(() => cipher.decrypt({ ...sealed, ciphertext: "AAAA" })).toThrow(/truncated/);
  });

  it("accepts only base64 of exactly 32 bytes as a key, naming the variable", () => {
    expect(decodeEncryptionKey(newKey.toString("base64"), "ENCRYPTION_KEY").equals(newKey)).toBe(true);
    expect(() => decodeEncryptionKey(randomBytes(16).toString("base64"), "ENCRYPTION_OLD_KEYS")).toThrow(
      "ENCRYPTION_OLD_KEYS must be base64 of exactly 32 bytes",
    );
  });
});
