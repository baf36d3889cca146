// The memory check asks what a process cannot give back, not what its garbage collector has not
// got round to yet: V8 collects only when it allocates, so an idle server keeps a busy minute's
// garbage for good. The server under test is started with an inspector on 127.0.0.1 (the check's
// own port), and the check runs a full collection through it before reading memory.

/** `node --inspect` on `port`, for the server's NODE_OPTIONS. */
export const inspectOption = (port: number) => `--inspect=127.0.0.1:${port}`;

interface Reply {
  id?: number;
  result?: { result?: { value?: unknown } };
}

/** Runs a full garbage collection in the process behind inspector `port`; resolves to its heap in use, in MB. */
export async function collectGarbage(port: number): Promise<number> {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let nextId = 0;
  const waiting = new Map<number, (reply: Reply) => void>();
  socket.addEventListener("message", (event) => {
    const reply = JSON.parse(String(event.data)) as Reply;
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<Reply>((resolve) => {
      const id = ++nextId;
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call("HeapProfiler.collectGarbage");
    const reply = await call("Runtime.evaluate", { expression: "process.memoryUsage().heapUsed", returnByValue: true });
    return Math.round(Number(reply.result?.result?.value) / 104_857.6) / 10;
  } finally {
    socket.close();
  }
}
