import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { captureChildOutput } from "@audnix/integrations/testing";

const webRoot = path.resolve(import.meta.dirname, "../..");
const STARTUP_TIMEOUT_MS = 30_000;
// server.ts drains and exits on SIGTERM; one that hangs is killed rather than stalling the suite.
const STOP_TIMEOUT_MS = 2_000;

export interface WebServer {
  /** http://localhost:<port>: a secure context for Chromium, so `__Host-`/Secure cookies stick. */
  url: string;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("could not pick a free port");
  return address.port;
}

/** Starts the production server (`node server.ts` on the build) and waits until /healthz is ok. */
export async function startWebServer(env: Record<string, string>): Promise<WebServer> {
  // A test that must know the URL before the server starts (OAuth redirect URIs) picks the PORT.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ["server.ts"], {
    cwd: webRoot,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      // OAuth redirect_uris are built from APP_URL, so they must point back at this server.
      APP_URL: `http://localhost:${port}`,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  captureChildOutput("web-server", [child.stdout, child.stderr]);
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = once(child, "exit");

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`web server exited with ${child.exitCode}:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`web server was not healthy within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    // Polling interval while the process boots, not a wait for an outcome.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return { url: `http://localhost:${port}`, output: () => output, stop };
}
