import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const srcDir = path.resolve(fileURLToPath(import.meta.url), "../../../src");

/** Every module URL Node resolves while importing `entry`, in a fresh process. */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const script = `
    import { registerHooks } from "node:module";
    const seen = [];
    registerHooks({
      resolve(specifier, context, next) {
        const resolved = next(specifier, context);
        seen.push(resolved.url);
        return resolved;
      },
    });
    await import(${JSON.stringify(path.join(srcDir, entry))});
    process.stdout.write(JSON.stringify(seen));
  `;
  const args = ["--import", "tsx", "--input-type=module", "-e", script];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: srcDir });
  return JSON.parse(stdout) as string[];
}

const serverSide = /\/packages\/db\/|@prisma|\/api\/src\/(root|trpc|routers)/;

// Each test starts a Node process that compiles the package's TypeScript; on a busy 2-core
// machine that alone can pass the unit layer's default 5 s.
const SPAWN_TIMEOUT_MS = 30_000;

describe("@audnix/api/client", () => {
  it("loads no server code: no routers, no database layer, no Prisma", async () => {
    const loaded = await modulesLoadedBy("client.ts");
    expect(loaded.some((url) => url.endsWith("/api/src/client.ts"))).toBe(true);
    expect(loaded.filter((url) => serverSide.test(url))).toEqual([]);
  }, SPAWN_TIMEOUT_MS);

  it("the probe does see server code when it is imported", async () => {
    const loaded = await modulesLoadedBy("index.ts");
    expect(loaded.some((url) => serverSide.test(url))).toBe(true);
  }, SPAWN_TIMEOUT_MS);
});
