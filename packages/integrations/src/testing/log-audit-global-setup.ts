// vitest globalSetup: gives the run a fresh log directory, and after the last test fails the run
// when any captured log line contains a secret the suite used (issue 5: secrets never reach logs).
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { findSecretLeaks } from "./log-audit.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../../..");

export default function setup() {
  const dir = path.join(repoRoot, ".data/test-logs", randomBytes(4).toString("hex"));
  mkdirSync(dir, { recursive: true });
  // Test workers and the processes they spawn inherit it.
  process.env.AUDNIX_TEST_LOG_DIR = dir;
  return () => {
    const { leaks, secrets, lines } = findSecretLeaks(dir);
    if (leaks.length > 0) {
      const list = leaks.slice(0, 20).map((leak) => ` - ${leak.file}:${leak.line} contains ${leak.secretHint}`);
      console.error(`secret audit FAILED: ${leaks.length} log line(s) contain a secret the suite used (logs kept in ${dir}):\n${list.join("\n")}`);
      // vitest reports an error thrown here but still exits 0, so the exit code is set directly.
      process.exitCode = 1;
      return;
    }
    console.log(`secret audit: ${lines} log lines checked against ${secrets} secrets, none leaked`);
    rmSync(dir, { recursive: true, force: true });
  };
}
