import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Sealed credentials as stored in `connections`: AES-256-GCM, a fresh 96-bit nonce per encryption,
 * and the id of the key that sealed them, so keys can rotate without a flag day (docs/decisions/0008).
 */
export interface SealedSecret {
  /** base64url of nonce (12 bytes) || ciphertext || auth tag (16 bytes). */
  ciphertext: string;
  keyId: string;
}

export interface TokenCipher {
  /** Id of the newest key: every new encryption uses it. */
  readonly currentKeyId: string;
  encrypt(plaintext: string): SealedSecret;
  /** Throws TokenCipherError (never echoing key or plaintext) when the key is unknown or the data was altered. */
  decrypt(sealed: SealedSecret): string;
  /** True when the secret was sealed under an older key and should be re-encrypted. */
  isStale(sealed: Pick<SealedSecret, "keyId">): boolean;
}

export class TokenCipherError extends Error {
  override name = "TokenCipherError";
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * The key id is derived from the key itself (first 8 bytes of its SHA-256, hex), so configuration
 * is just the list of keys and an id can never point at the wrong key.
 */
export function tokenKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/** Decodes ENCRYPTION_KEY-style base64 into a 32-byte key, or throws naming the variable. */
export function decodeEncryptionKey(base64: string, variableName: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES) throw new TokenCipherError(`${variableName} must be base64 of exactly 32 bytes`);
  return key;
}

/**
 * @param currentKey the key new secrets are sealed with (ENCRYPTION_KEY)
 * @param previousKeys keys that only decrypt (ENCRYPTION_OLD_KEYS), kept until `pnpm secrets:reencrypt` ran
 */
export function createTokenCipher(currentKey: Buffer, previousKeys: readonly Buffer[] = []): TokenCipher {
  const keys = new Map<string, Buffer>();
  for (const key of [currentKey, ...previousKeys]) {
    if (key.length !== KEY_BYTES) throw new TokenCipherError("encryption keys must be exactly 32 bytes");
    keys.set(tokenKeyId(key), key);
  }
  const currentKeyId = tokenKeyId(currentKey);

  return {
    currentKeyId,
    encrypt(plaintext) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv("aes-256-gcm", currentKey, nonce);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]);
      return { ciphertext: sealed.toString("base64url"), keyId: currentKeyId };
    },
    decrypt(sealed) {
      const key = keys.get(sealed.keyId);
      if (!key) throw new TokenCipherError(`no configured encryption key has id ${sealed.keyId}`);
      const bytes = Buffer.from(sealed.ciphertext, "base64url");
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new TokenCipherError("sealed secret is truncated");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch {
        throw new TokenCipherError("sealed secret failed authentication (wrong key or altered data)");
      }
    },
    isStale(sealed) {
      return sealed.keyId !== currentKeyId;
    },
  };
}
