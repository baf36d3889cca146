/** What the global setup hands every test file (through vitest's provide/inject). */
export interface TestDatabaseContext {
  /** Superuser/owner URL of the test server (database part is replaced per test file). */
  adminUrl: string;
  /** App-role login URL (database part is replaced per test file). */
  appUrl: string;
  /** Migrated template each test database is cloned from. */
  template: string;
  runId: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    audnixTestDatabase: TestDatabaseContext;
  }
}
