import { tokenCipherFromConfig, type TokenCipher } from "@audnix/core";
import { getEnv } from "./env.server.ts";

let cached: TokenCipher | undefined;

/** Seals and opens the channel credentials this process stores (docs/decisions/0008). */
export function tokenCipher(): TokenCipher {
  const env = getEnv();
  cached ??= tokenCipherFromConfig({ encryptionKey: env.ENCRYPTION_KEY, oldKeys: env.ENCRYPTION_OLD_KEYS });
  return cached;
}
