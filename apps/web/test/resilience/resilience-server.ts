import { randomBytes } from "node:crypto";
import { recordTestSecret } from "@audnix/integrations/testing";
import { startWebServer, type WebServer } from "../e2e/web-server.ts";
import { webhookSecretEnv, type WebhookSecrets } from "./webhook-secrets.ts";

/**
 * The production server (`node server.ts` on the build, NODE_ENV=production) on `databaseUrl`,
 * with every webhook route configured. Logs at error level: the fuzz run's thousands of refusals
 * are warnings, and what the suite must see (and the secret audit must scan) are the failures.
 */
export function startProductionServer(databaseUrl: string, secrets: WebhookSecrets, extraEnv: Record<string, string> = {}): Promise<WebServer> {
  const jwtSecret = randomBytes(32).toString("hex");
  const encryptionKey = randomBytes(32).toString("base64");
  recordTestSecret(jwtSecret, encryptionKey, new URL(databaseUrl).password);
  return startWebServer({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    JWT_SECRET: jwtSecret,
    ENCRYPTION_KEY: encryptionKey,
    LOG_LEVEL: "error",
    ...webhookSecretEnv(secrets),
    ...extraEnv,
  });
}
