import { resolveDatabase, type DatabaseTarget } from "../src/admin/index.ts";

/** Runs a tooling command against DATABASE_URL's server, or the embedded development cluster. */
export async function withDatabase(work: (target: DatabaseTarget) => Promise<number>): Promise<never> {
  const target = await resolveDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    adminUrl: process.env.DATABASE_ADMIN_URL || undefined,
    profile: "development",
  });
  let code = 1;
  try {
    code = await work(target);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  } finally {
    await target.stop();
  }
  process.exit(code);
}
