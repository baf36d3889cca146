import { execFileSync } from "node:child_process";
import path from "node:path";

// The e2e tests drive the production build, so they build it once per run, before any file starts.
// The resilience project uses it too; vitest runs each project's global setup in the same process,
// one after the other, so a mark on globalThis keeps a run from building twice.
const built = Symbol.for("audnix.webAppBuilt");

export default function buildWebApp(): void {
  const marks = globalThis as typeof globalThis & { [built]?: true };
  if (marks[built]) return;
  try {
    execFileSync("pnpm", ["exec", "remix", "vite:build"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: "pipe",
      encoding: "utf8",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Building apps/web for the e2e tests failed:\n${stdout ?? ""}${stderr ?? ""}`, { cause: error });
  }
  marks[built] = true;
}
