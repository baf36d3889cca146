// pnpm secrets:reencrypt: re-seals every stored channel credential under ENCRYPTION_KEY, opening the
// old ones with ENCRYPTION_OLD_KEYS. Run it after rotating the key; once it reports 0, the old keys
// can leave the configuration (docs/decisions/0008). Safe to run again at any time.
import { tokenCipherFromConfig } from "@audnix/core";
import { reencryptAllConnections } from "@audnix/db";
import { loadRepoEnv, withScriptDb } from "./with-script-db.ts";

loadRepoEnv();

const encryptionKey = process.env.ENCRYPTION_KEY || undefined;
if (!encryptionKey) console.warn("ENCRYPTION_KEY is unset: using the development-only key");
// Throws naming the variable (never the value) when a key is not base64 of 32 bytes.
const cipher = tokenCipherFromConfig({ encryptionKey, oldKeys: process.env.ENCRYPTION_OLD_KEYS || undefined });

await withScriptDb(async (db) => {
  const count = await reencryptAllConnections(db, cipher);
  console.log(`re-encrypted ${count} connection secret${count === 1 ? "" : "s"} under key ${cipher.currentKeyId}`);
});
