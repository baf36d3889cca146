import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../src/admin/index.ts";

// graphile-worker's tables and its jobs view are not a public interface (its docs: schema.md,
// jobs-view.md); the product uses its functions (add_job, remove_job, force_unlock_workers) and
// its JavaScript API only. Tests may look inside; product code and migrations may not.
const PRODUCT_SOURCES = ["packages/core/src", "packages/db/src", "packages/db/prisma/migrations", "packages/api/src", "packages/integrations/src", "apps/jobs/src", "apps/web/app"];
const PRIVATE_READ = /graphile_worker\.(?:_private_\w+|jobs\b)/;

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "generated") yield* sourceFiles(full);
    } else if (/\.(?:ts|tsx|sql)$/.test(entry.name)) {
      yield full;
    }
  }
}

describe("graphile-worker's tables", () => {
  it("are read by no product code or migration", async () => {
    const offenders: string[] = [];
    for (const dir of PRODUCT_SOURCES) {
      for await (const file of sourceFiles(path.join(repoRoot, dir))) {
        if (PRIVATE_READ.test(await readFile(file, "utf8"))) offenders.push(path.relative(repoRoot, file));
      }
    }
    expect(offenders).toEqual([]);
  });
});
