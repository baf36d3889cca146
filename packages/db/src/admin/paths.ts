import path from "node:path";
import { fileURLToPath } from "node:url";

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const repoRoot = path.resolve(packageRoot, "../..");
/** Git-ignored home of local clusters (development and tests each have their own). */
export const localDataRoot = path.join(repoRoot, ".data");
