import { randomBytes } from "node:crypto";
import { useTestDatabase, type FileTestDatabase } from "@audnix/db/testing";
import { recordTestSecret } from "@audnix/integrations/testing";
import { beforeAll } from "vitest";

export type AppModules<Modules> = Modules & { database: FileTestDatabase };

/**
 * For one test file that calls the app's route modules directly: a database of its own,
 * `process.env` pointed at it with `env` on top, and only then `load`, because the app's modules
 * read their configuration once, when first imported. Returns the accessor the tests use.
 */
export function useAppModules<Modules extends object>(env: Record<string, string>, load: () => Promise<Modules>): () => AppModules<Modules> {
  const database = useTestDatabase();
  let loaded: AppModules<Modules> | undefined;
  beforeAll(async () => {
    const jwtSecret = randomBytes(32).toString("hex");
    recordTestSecret(jwtSecret);
    Object.assign(process.env, { NODE_ENV: "test", DATABASE_URL: database.appUrl, JWT_SECRET: jwtSecret, LOG_LEVEL: "error", ...env });
    loaded = { ...(await load()), database };
  });
  return () => {
    if (!loaded) throw new Error("the app's modules did not load (see beforeAll)");
    return loaded;
  };
}
