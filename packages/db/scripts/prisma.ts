// Runs the Prisma CLI offline. The CLI downloads a native schema engine before any command unless
// PRISMA_SCHEMA_ENGINE_BINARY names a file; `generate` never uses it, so any file will do, and
// migrations go through scripts/migrate.ts instead (docs/decisions/0001).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const placeholderEngine = fileURLToPath(import.meta.url);
const result = spawnSync("prisma", process.argv.slice(2), {
  stdio: "inherit",
  env: { PRISMA_SCHEMA_ENGINE_BINARY: placeholderEngine, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...process.env },
});
process.exit(result.status ?? 1);
