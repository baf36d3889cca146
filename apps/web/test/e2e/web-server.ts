import { once } from "node:events";
import { createServer } from "node:net";
import path from "node:path";
import { startAppProcess, type AppProcess } from "./app-process.ts";

const webRoot = path.resolve(import.meta.dirname, "../..");
// server.ts drains and exits on SIGTERM; one that hangs is killed rather than stalling the suite.
const STOP_TIMEOUT_MS = 2_000;

export interface WebServer extends AppProcess {
  /** http://localhost:<port>: a secure context for Chromium, so `__Host-`/Secure cookies stick. */
  url: string;
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
  const server = await startAppProcess({
    name: "web-server",
    args: ["server.ts"],
    cwd: webRoot,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      // OAuth redirect_uris are built from APP_URL, so they must point back at this server.
      APP_URL: `http://localhost:${port}`,
      ...env,
    },
    isReady: () =>
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      ),
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
  return { ...server, url: `http://localhost:${port}` };
}
