import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

/** The test file's database, readable from its tests and hooks; the hook drops it. */
export type FileTestDatabase = Omit<TestDatabase, "destroy">;

/**
 * Gives the calling test file a database of its own: created before its first test, dropped after
 * its last. Call it at the top of the file, before other hooks, so they run with the database ready
 * (and their afterAll before it is dropped).
 */
export function useTestDatabase(): FileTestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const current = (): TestDatabase => {
    if (!database) throw new Error("The test database exists only inside tests and hooks (after beforeAll).");
    return database;
  };
  return {
    get appUrl() {
      return current().appUrl;
    },
    get adminUrl() {
      return current().adminUrl;
    },
    get db() {
      return current().db;
    },
  };
}
