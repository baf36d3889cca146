import { createTokenCipher, decodeEncryptionKey, type TokenCipher } from "./token-cipher.ts";

/**
 * Outside production without ENCRYPTION_KEY, the web app and the worker must still agree on one key
 * (the web app seals what the worker opens), so both fall back to this one. Its name says what it is;
 * production refuses to start without a real key.
 */
export const DEV_ONLY_ENCRYPTION_KEY = Buffer.from("dev-only-insecure-token-key-32b!").toString("base64");

/**
 * The cipher from ENCRYPTION_KEY and ENCRYPTION_OLD_KEYS (comma-separated), already validated by
 * the app's env module.
 */
export function tokenCipherFromConfig(config: { encryptionKey: string | undefined; oldKeys: string | undefined }): TokenCipher {
  const current = decodeEncryptionKey(config.encryptionKey ?? DEV_ONLY_ENCRYPTION_KEY, "ENCRYPTION_KEY");
  const previous = (config.oldKeys ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "")
    .map((key) => decodeEncryptionKey(key, "ENCRYPTION_OLD_KEYS"));
  return createTokenCipher(current, previous);
}
