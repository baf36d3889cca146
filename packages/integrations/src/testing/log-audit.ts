// The suite's secret audit (issue 5): every secret a test or fake uses is written to a ledger, every
// line the test processes and their child processes print is captured, and after the run the
// captured lines are scanned for any ledger value. Only active when AUDNIX_TEST_LOG_DIR is set (by
// log-audit-global-setup.ts), so fakes started by `pnpm dev` are unaffected.
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";

const LEDGER_FILE = "secrets.ledger";
// Shorter values ("1", "true", short ids) would match ordinary text and prove nothing.
const MIN_SECRET_LENGTH = 8;

function logDir(): string | undefined {
  return process.env.AUDNIX_TEST_LOG_DIR || undefined;
}

/** Notes secret values used by a test or minted by a fake, so the audit can look for them in logs. */
export function recordTestSecret(...values: readonly (string | undefined | null)[]): void {
  const dir = logDir();
  if (!dir) return;
  const lines = values.filter((value): value is string => typeof value === "string" && value.length >= MIN_SECRET_LENGTH);
  if (lines.length === 0) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, LEDGER_FILE), lines.map((value) => `${JSON.stringify(value)}\n`).join(""));
}

/** Appends a child process's stdout and stderr to the audited log of this run. */
export function captureChildOutput(name: string, streams: readonly (Readable | null)[]): void {
  const dir = logDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${process.pid}-${Date.now()}.log`);
  for (const stream of streams) stream?.on("data", (chunk: Buffer | string) => appendFileSync(file, chunk));
}

/** Appends text written by this process (the setup file tees stdout/stderr here). */
export function captureOwnOutput(chunk: string | Uint8Array): void {
  const dir = logDir();
  if (!dir) return;
  appendFileSync(path.join(dir, `test-worker-${process.pid}.log`), chunk);
}

export interface SecretLeak {
  file: string;
  line: number;
  /** Where the secret came from is not repeated here: only its length and first characters. */
  secretHint: string;
}

/** The forms a secret takes in text: as is, URL-encoded (query strings), and base64 (basic auth). */
function variants(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString("base64")])];
}

/** Every line of the captured logs that contains a ledger value, in any of its usual encodings. */
export function findSecretLeaks(dir: string): { leaks: SecretLeak[]; secrets: number; lines: number } {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return { leaks: [], secrets: 0, lines: 0 };
  }
  const secrets = files.includes(LEDGER_FILE)
    ? [...new Set(readFileSync(path.join(dir, LEDGER_FILE), "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as string))]
    : [];
  const needles = secrets.flatMap((secret) => variants(secret).map((form) => ({ secret, form })));
  const leaks: SecretLeak[] = [];
  let lines = 0;
  for (const file of files.filter((name) => name.endsWith(".log"))) {
    const text = readFileSync(path.join(dir, file), "utf8").split("\n");
    lines += text.length;
    text.forEach((content, index) => {
      const hit = needles.find((needle) => content.includes(needle.form));
      if (hit) leaks.push({ file, line: index + 1, secretHint: `${hit.secret.slice(0, 3)}… (${hit.secret.length} chars)` });
    });
  }
  return { leaks, secrets: secrets.length, lines };
}
