import { execFileSync } from "node:child_process";
import path from "node:path";

// The e2e tests drive the production build, so they build it once per run, before any file starts.
export default function buildWebApp(): void {
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
}
