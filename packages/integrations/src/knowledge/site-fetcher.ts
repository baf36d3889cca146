import {
  CRAWL_FETCH_TIMEOUT_MS,
  CRAWL_MAX_REDIRECTS,
  CRAWL_PAGE_MAX_BYTES,
  CRAWL_ROBOTS_MAX_BYTES,
  CRAWLER_AGENT_TOKEN,
  CRAWLER_USER_AGENT,
  sameSiteRedirect,
  type CrawlPageProblem,
  type CrawlPageResult,
  type SiteFetcher,
} from "@audnix/core";
import type { IncomingMessage } from "node:http";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import robotsParser from "robots-parser";
import { resolveSmtpHost, type HostResolver } from "../email/smtp-host.ts";
import { htmlDocumentText, htmlPageOutline } from "./html-document.ts";

// The website crawler's HTTP (docs/decisions/0020). The owner types the address, so every request
// goes through the private-network check the SMTP host uses (smtp-host.ts): the name is resolved
// once, every address checked, and the socket connects to the checked address, redirects included.

export interface SiteFetcherOptions {
  /**
   * Origins let through the private-network check. For tests only: the crawler test serves its
   * site on 127.0.0.1. Production passes nothing.
   */
  allowPrivateOrigins?: readonly string[];
  resolve?: HostResolver;
  timeoutMs?: number;
}

type Fetched =
  | { ok: true; url: string; status: number; contentType: string; body: Buffer }
  | { ok: false; problem: CrawlPageProblem };

const pageTypes = new Set(["text/html", "application/xhtml+xml", "text/plain"]);

export function createSiteFetcher(options: SiteFetcherOptions = {}): SiteFetcher {
  const allowed = new Set(options.allowPrivateOrigins ?? []);
  const timeoutMs = options.timeoutMs ?? CRAWL_FETCH_TIMEOUT_MS;

  /**
   * GET with redirects followed on the same origin only (or, for a start page, the same site's
   * https or www address once), each hop checked, within one deadline.
   */
  async function get(start: string, maxBytes: number, accept: string, movable = false): Promise<Fetched> {
    const signal = AbortSignal.timeout(timeoutMs);
    let origin = new URL(start).origin;
    let url = new URL(start);
    for (let hop = 0; hop <= CRAWL_MAX_REDIRECTS; hop += 1) {
      if (url.origin !== origin) {
        if (!movable || !sameSiteRedirect(origin, url.href)) return { ok: false, problem: "off_origin_redirect" };
        origin = url.origin;
        movable = false;
      }
      const resolution = await resolveSmtpHost(url.hostname, { blockPrivateNetworks: !allowed.has(url.origin), ...(options.resolve ? { resolve: options.resolve } : {}) });
      if (!resolution.ok) return { ok: false, problem: resolution.problem === "private_network" ? "private_network" : "unreachable" };
      const answer = await request(url, { address: resolution.address, servername: resolution.servername, maxBytes, accept, signal });
      if (!answer.ok) return answer;
      const location = answer.status >= 300 && answer.status < 400 ? answer.location : null;
      if (!location) return { ok: true, url: url.href, status: answer.status, contentType: answer.contentType, body: answer.body };
      try {
        url = new URL(location, url);
      } catch {
        return { ok: false, problem: "http_error" };
      }
      url.hash = "";
    }
    return { ok: false, problem: "too_many_redirects" };
  }

  return {
    async robots(origin) {
      const fetched = await get(`${origin}/robots.txt`, CRAWL_ROBOTS_MAX_BYTES, "text/plain");
      if (fetched.ok && fetched.status >= 200 && fetched.status < 300) {
        const rules = robotsParser(`${origin}/robots.txt`, fetched.body.toString("utf8"));
        return { isAllowed: (url) => rules.isAllowed(url, CRAWLER_AGENT_TOKEN) !== false };
      }
      // RFC 9309 2.3.1: a missing robots.txt (4xx) allows everything; a server error (5xx) means
      // nothing may be crawled. A site that cannot be reached at all fails its pages the same
      // way, and the page's own reason (unreachable, private network) is the one the owner reads.
      return { isAllowed: () => !fetched.ok || fetched.status < 500 };
    },

    async page(url, options): Promise<CrawlPageResult> {
      const fetched = await get(url, CRAWL_PAGE_MAX_BYTES, "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8", options?.start ?? false);
      if (!fetched.ok) return fetched;
      if (fetched.status < 200 || fetched.status >= 300) return { ok: false, problem: "http_error" };
      const [type = "", ...params] = fetched.contentType.split(";").map((part) => part.trim().toLowerCase());
      if (!pageTypes.has(type)) return { ok: false, problem: "not_html" };
      const body = decode(fetched.body, params.find((param) => param.startsWith("charset="))?.slice("charset=".length) ?? "utf-8");
      const origin = new URL(fetched.url).origin;
      const page = { ok: true as const, url: fetched.url, origin, sizeBytes: fetched.body.byteLength };
      if (type === "text/plain") return { ...page, base: fetched.url, title: null, text: body, links: [] };
      try {
        return { ...page, ...readHtml(body, fetched.url) };
      } catch {
        // The parsers take any HTML; should one throw, the page is skipped rather than the run
        // failing the same way on every retry.
        return { ok: false, problem: "unreadable" };
      }
    },
  };
}

function readHtml(html: string, url: string) {
  const outline = htmlPageOutline(html);
  let base = url;
  try {
    if (outline.base) base = new URL(outline.base, url).href;
  } catch {
    // A broken <base href> is ignored, as browsers do.
  }
  return { base, title: outline.title, text: htmlDocumentText(html, { page: true }), links: outline.links };
}

function decode(body: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.replace(/^"|"$/g, "")).decode(body);
  } catch {
    return new TextDecoder("utf-8").decode(body);
  }
}

interface Answer {
  ok: true;
  status: number;
  contentType: string;
  location: string | null;
  body: Buffer;
}

/** One GET to the checked address; the body is read up to maxBytes (past it: too_large). */
function request(
  url: URL,
  options: { address: string; servername: string | undefined; maxBytes: number; accept: string; signal: AbortSignal },
): Promise<Answer | { ok: false; problem: CrawlPageProblem }> {
  const family = options.address.includes(":") ? 6 : 4;
  // The socket goes where the check looked, whatever DNS answers next (no rebinding).
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [{ address: options.address, family }]);
    else callback(null, options.address, family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: Answer | { ok: false; problem: CrawlPageProblem }) => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const req = client.request(
      url,
      {
        method: "GET",
        headers: { "user-agent": CRAWLER_USER_AGENT, accept: options.accept, "accept-encoding": "identity" },
        lookup,
        // A connection per request: a pooled socket would skip this request's address check.
        agent: false,
        ...(options.servername ? { servername: options.servername } : {}),
        signal: options.signal,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const location = typeof res.headers.location === "string" ? res.headers.location : null;
        const contentType = res.headers["content-type"] ?? "";
        if ((status >= 300 && status < 400) || status >= 400) {
          // Nothing of a redirect's or an error's body is needed (and it could be endless).
          res.destroy();
          finish({ ok: true, status, contentType, location, body: Buffer.alloc(0) });
          return;
        }
        if (Number(res.headers["content-length"] ?? 0) > options.maxBytes) {
          res.destroy();
          finish({ ok: false, problem: "too_large" });
          return;
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on("data", (part: Buffer) => {
          size += part.byteLength;
          if (size > options.maxBytes) {
            res.destroy();
            finish({ ok: false, problem: "too_large" });
            return;
          }
          parts.push(part);
        });
        res.on("end", () => finish({ ok: true, status, contentType, location, body: Buffer.concat(parts) }));
        res.on("error", () => finish({ ok: false, problem: options.signal.aborted ? "timeout" : "unreachable" }));
      },
    );
    req.on("error", () => finish({ ok: false, problem: options.signal.aborted ? "timeout" : "unreachable" }));
    req.end();
  });
}
