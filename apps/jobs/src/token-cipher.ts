import { tokenCipherFromConfig, type TokenCipher } from "@audnix/core";
import type { JobsEnv } from "./env.ts";

/** Opens and re-seals the channel credentials the web app stored (docs/decisions/0008). */
export function createJobsTokenCipher(env: Pick<JobsEnv, "ENCRYPTION_KEY" | "ENCRYPTION_OLD_KEYS">): TokenCipher {
  return tokenCipherFromConfig({ encryptionKey: env.ENCRYPTION_KEY, oldKeys: env.ENCRYPTION_OLD_KEYS });
}
