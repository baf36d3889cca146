import { readFile } from "node:fs/promises";

/** Resident set size of process `pid` in MB, from /proc/<pid>/status (Linux; null elsewhere or once it exited). */
export async function residentMegabytes(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  const kilobytes = status?.match(/^VmRSS:\s*(\d+) kB$/m)?.[1];
  return kilobytes === undefined ? null : Math.round(Number(kilobytes) / 102.4) / 10;
}
