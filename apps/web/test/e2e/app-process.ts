import { spawn } from "node:child_process";
import { once } from "node:events";
import { captureChildOutput } from "@audnix/integrations/testing";

const STARTUP_TIMEOUT_MS = 30_000;

export interface AppProcess {
  /** The process id (memory is read from /proc/<pid>/status). */
  pid: number;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL once `stopTimeoutMs` passed: a process that hangs must not stall the suite. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface AppProcessOptions {
  /** Names the process in failure messages and in its log-audit file. */
  name: string;
  /** Arguments to this Node binary, so the process runs on the same Node as the tests. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Polled until true: the process is up when it says so, not when it merely started. */
  isReady: (output: string) => boolean | Promise<boolean>;
  /** How long a graceful shutdown may take before the process is killed. */
  stopTimeoutMs: number;
}

/**
 * Starts one of the app's own processes with its output in the run's secret audit, and resolves
 * once `isReady` holds; throws with the output if it exits or is not ready in time.
 */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const { name, stopTimeoutMs } = options;
  const child = spawn(process.execPath, options.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  captureChildOutput(name, [child.stdout, child.stderr]);
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = once(child, "exit");

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await exited;
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await options.isReady(output))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    // Polling interval while the process boots, not a wait for an outcome.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid: child.pid ?? 0, output: () => output, stop, kill };
}
