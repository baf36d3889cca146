import { defineConfig } from "prisma/config";

// No datasource here: migrations are applied by scripts/migrate.ts (see docs/decisions/0001),
// and the generated client is given a driver adapter at runtime.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
