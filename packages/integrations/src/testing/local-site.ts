import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A small website on 127.0.0.1 for the crawler's tests: pages by path, anything else 404, and a
// record of every path requested (what the crawler fetched, and what it never asked for).

export interface LocalPage {
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Answers after this many milliseconds (a slow site). */
  delayMs?: number;
  /** Answers once this settles: the test decides when the page arrives. */
  hold?: Promise<void>;
}

export interface LocalSite {
  origin: string;
  /** Paths requested, with query, in order. */
  requests: string[];
  /** User-Agent headers received. */
  userAgents: string[];
  set(path: string, page: LocalPage | null): void;
  close(): Promise<void>;
}

/** An HTML page with a title and body markup. */
export function htmlPage(title: string, body: string): LocalPage {
  return { contentType: "text/html; charset=utf-8", body: `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>` };
}

export async function startLocalSite(pages: Record<string, LocalPage>): Promise<LocalSite> {
  const table = new Map(Object.entries(pages));
  const requests: string[] = [];
  const userAgents: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    requests.push(path);
    userAgents.push(req.headers["user-agent"] ?? "");
    const page = table.get(path);
    const answer = () => {
      if (!page) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(page.status ?? 200, { "content-type": page.contentType ?? "text/html; charset=utf-8", ...page.headers });
      res.end(page.body ?? "");
    };
    if (page?.hold) void page.hold.then(answer);
    else if (page?.delayMs) setTimeout(answer, page.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    userAgents,
    set: (path, page) => (page ? table.set(path, page) : table.delete(path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
