// Test-only entry (@audnix/db/testing): imports vitest, so never import it from product code.
export { createTestDatabase, type TestDatabase } from "./test-database.ts";
export type { TestDatabaseContext } from "./context.ts";
export { createOwnerAndStranger } from "./tenants.ts";
export { useTestDatabase, type FileTestDatabase } from "./use-test-database.ts";
