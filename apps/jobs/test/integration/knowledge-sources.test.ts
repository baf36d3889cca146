import {
  CRAWL_MAX_PAGES,
  CRAWL_PAGE_NOTES,
  CRAWL_PAGES_PER_RUN,
  CRAWLER_USER_AGENT,
  createLogger,
  KNOWLEDGE_EXTRACT_FAILURES,
} from "@audnix/core";
import {
  addKnowledgeFile,
  addKnowledgeUrl,
  listKnowledgeDocuments,
  reindexKnowledgeDocument,
  removeKnowledgeDocument,
  searchKnowledge,
} from "@audnix/db";
import { createOwnerAndStranger, useTestDatabase } from "@audnix/db/testing";
import { createSiteFetcher } from "@audnix/integrations";
import {
  buildDocx,
  buildPasswordProtectedPdf,
  buildPdf,
  buildPdfWithoutText,
  htmlPage,
  startLocalSite,
  type LocalPage,
  type LocalSite,
} from "@audnix/integrations/testing";
import type { Runner } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startWorker } from "../../src/worker.ts";

// Files and websites through a real worker (knowledge:extract / knowledge:crawl, then
// knowledge:ingest), against a website the test serves on 127.0.0.1.

const t = useTestDatabase();
let runner: Runner;
let owner: string;
let stranger: string;
let site: LocalSite;
let many: LocalSite;
const lines: string[] = [];
const encode = (text: string) => new TextEncoder().encode(text);

const shopSite = () => ({
  "/robots.txt": { contentType: "text/plain", body: "User-agent: *\nDisallow: /private\n" },
  "/": htmlPage(
    "Lisbon Linen",
    `<header><a href="/">Lisbon Linen</a></header>
     <nav><a href="/about">About</a> <a href="/shipping">Shipping</a> <a href="/private/staff">Staff</a>
       <a href="https://elsewhere.example/partner">Partner</a></nav>
     <div id="cookie-banner" class="cookie-consent">We use cookies to improve your visit. <button>Accept all</button></div>
     <h1>Welcome</h1><p>Hand-made linen dresses from our Alfama workshop.</p>
     <p>See <a href="/shipping#costs">shipping costs</a> and <a href="/logo.png">our logo</a>.</p>
     <footer>Copyright Lisbon Linen 2026</footer>`,
  ),
  "/about": htmlPage("About us", "<main><h1>Our story</h1><h2>The workshop</h2><p>Six seamstresses sew every dress by hand in Alfama.</p></main>"),
  "/shipping": htmlPage(
    "Shipping",
    `<nav><a href="/">Home</a></nav><main><h1>Shipping costs</h1><p>Parcels to Spain cost 7 EUR and arrive in 3 days.</p>
     <a href="/about">About</a></main>`,
  ),
  "/private/staff": htmlPage("Staff", "<p>Door code 4471 for staff only.</p>"),
});

/** 80 pages, each linking to the next two: more than a crawl takes. */
const manyPages = () => {
  const pages: Record<string, LocalPage> = { "/robots.txt": { status: 404 } };
  for (let n = 0; n < 80; n += 1) {
    pages[`/p/${n}`] = htmlPage(`Page ${n}`, `<p>Fact number ${n}.</p><a href="/p/${n + 1}">next</a> <a href="/p/${n + 2}">skip</a>`);
  }
  return pages;
};

const shopAs = (host: string) => `http://${host}:${new URL(site.origin).port}`;

beforeAll(async () => {
  site = await startLocalSite(shopSite());
  many = await startLocalSite(manyPages());
  ({ owner, stranger } = await createOwnerAndStranger(t.db));
  runner = await startWorker({
    env: { WORKER_CONCURRENCY: 2 },
    db: t.db,
    logger: createLogger({ level: "info", sink: (line) => lines.push(line) }),
    // The test-only allowance: the local sites are on loopback, which production refuses.
    // A long deadline: the held page below must wait for the test, not time out on a slow machine.
    // Every name resolves to 127.0.0.1, so the shop can also be reached as shop.example / www.shop.example.
    siteFetcher: createSiteFetcher({
      allowPrivateOrigins: [site.origin, many.origin, shopAs("shop.example"), shopAs("www.shop.example")],
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
      timeoutMs: 60_000,
    }),
  });
});

afterAll(async () => {
  await runner?.stop();
  await site?.close();
  await many?.close();
});

async function settled(id: string) {
  let found: Awaited<ReturnType<typeof listKnowledgeDocuments>>[number] | undefined;
  await vi.waitFor(
    async () => {
      found = (await listKnowledgeDocuments(t.db, owner)).find((document) => document.id === id);
      expect(found?.status).toBe("ready");
    },
    { timeout: 60_000, interval: 50 },
  ).catch(() => undefined);
  return found;
}

async function failedWith(id: string) {
  let found: Awaited<ReturnType<typeof listKnowledgeDocuments>>[number] | undefined;
  await vi.waitFor(
    async () => {
      found = (await listKnowledgeDocuments(t.db, owner)).find((document) => document.id === id);
      expect(found?.status).toBe("failed");
    },
    { timeout: 30_000, interval: 50 },
  ).catch(() => undefined);
  return found?.error;
}

const chunksOf = (documentId: string) =>
  t.db.asUser(owner, (tx) =>
    tx.knowledgeChunk.findMany({ where: { documentId }, orderBy: { ordinal: "asc" }, select: { id: true, content: true, headingPath: true } }),
  );

const found = async (query: string) => (await searchKnowledge(t.db, { userId: owner, query, limit: 5 })).map((result) => result.text).join("\n");

describe("knowledge files through the worker", () => {
  const sections = [
    { heading: "Shipping", paragraphs: ["Parcels to Portugal arrive in 2 days.", "Parcels to Spain arrive in 3 days."] },
    { heading: "Returns", paragraphs: ["Return any dress within 30 days for a full refund."] },
  ];

  it.each([
    ["guide.txt", "text/plain", () => encode("Opening hours\n\nOpen Tuesday to Sunday, 11:00 to 20:00.")],
    ["guide.md", "text/markdown", () => encode("Shipping\n========\n\nParcels to Portugal arrive in **2 days**.\n\n## Returns\n\nReturn any dress within 30 days.")],
    ["guide.html", "text/html", () => encode("<html><body><nav>Menu Home</nav><h1>Shipping</h1><p>Parcels to Portugal arrive in 2 days.</p><h2>Returns</h2><p>Return any dress within 30 days.</p><footer>Copyright</footer></body></html>")],
    ["guide.pdf", "application/pdf", () => buildPdf(sections)],
    ["guide.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", () => buildDocx(sections)],
  ])("indexes %s with its headings as heading paths", async (filename, contentType, build) => {
    const bytes = await build();
    const { id } = await addKnowledgeFile(t.db, owner, { filename, contentType, bytes });
    const document = await settled(id);
    expect(document).toMatchObject({ status: "ready", kind: "file", filename, sizeBytes: bytes.byteLength, title: "guide", error: null });
    const chunks = await chunksOf(id);
    expect(chunks.length).toBeGreaterThan(0);
    if (filename === "guide.txt") {
      expect(chunks[0]?.content).toContain("Open Tuesday to Sunday");
      return;
    }
    const portugal = chunks.find((chunk) => chunk.content.includes("Portugal arrive in 2 days"));
    expect(portugal?.headingPath).toEqual(["Shipping"]);
    const returns = chunks.find((chunk) => chunk.content.includes("within 30 days"));
    // Markdown, HTML and DOCX nest Returns under Shipping (level 2); the PDF's two headings are one size.
    expect(returns?.headingPath).toEqual(filename.endsWith(".pdf") || filename.endsWith(".docx") ? ["Returns"] : ["Shipping", "Returns"]);
    expect(chunks.map((chunk) => chunk.content).join("\n")).not.toMatch(/Menu Home|Copyright|\*\*/);
  });

  it.each([
    ["locked.pdf", "application/pdf", () => buildPasswordProtectedPdf(), KNOWLEDGE_EXTRACT_FAILURES.encrypted],
    ["scan.pdf", "application/pdf", () => buildPdfWithoutText(), KNOWLEDGE_EXTRACT_FAILURES.no_text],
    ["broken.pdf", "application/pdf", async () => encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> broken"), KNOWLEDGE_EXTRACT_FAILURES.unreadable],
    ["broken.docx", "", async () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]), KNOWLEDGE_EXTRACT_FAILURES.unreadable],
    ["latin1.txt", "text/plain", async () => new Uint8Array([0x63, 0x61, 0x66, 0xe9]), KNOWLEDGE_EXTRACT_FAILURES.not_utf8],
  ])("fails %s with the reason, once, and the worker goes on", async (filename, contentType, build, reason) => {
    const { id } = await addKnowledgeFile(t.db, owner, { filename, contentType, bytes: await build() });
    expect(await failedWith(id)).toBe(reason);
    // Finished, not retried: no job of that document is left (graphile-worker records a job's
    // completion a moment after the task returns).
    await vi.waitFor(
      async () => {
        const jobs = await t.db.asSystem((tx) => tx.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key LIKE ${`%${id}`}`);
        expect(jobs[0]?.n).toBe(0);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it("re-indexes a file: extracted again, same text, the same chunks ready again", async () => {
    const { id } = await addKnowledgeFile(t.db, owner, { filename: "hours.md", contentType: "text/markdown", bytes: encode("# Hours\n\nOpen daily 9 to 18.") });
    await settled(id);
    const before = await chunksOf(id);
    expect(await reindexKnowledgeDocument(t.db, owner, id)).toEqual({ id });
    await vi.waitFor(() => expect(lines.filter((line) => line.includes(id) && line.includes('"outcome":"unchanged"'))).toHaveLength(1), {
      timeout: 30_000,
      interval: 50,
    });
    expect(await settled(id)).toMatchObject({ status: "ready", chunks: 1 });
    expect(await chunksOf(id)).toEqual(before);
  });
});

describe("website crawl through the worker", () => {
  it("reads same-origin pages breadth first, each under its title, without boilerplate, robots-disallowed or off-origin pages", async () => {
    const { id } = await addKnowledgeUrl(t.db, owner, { url: `${site.origin}/#top` });
    const document = await settled(id);
    expect(document).toMatchObject({ kind: "url", status: "ready", sourceUrl: `${site.origin}/`, title: "Lisbon Linen" });
    expect(document?.sizeBytes).toBeGreaterThan(0);
    const chunks = await chunksOf(id);
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([
      ["Lisbon Linen", "Welcome"],
      ["About us", "Our story", "The workshop"],
      ["Shipping", "Shipping costs"],
    ]);
    const text = chunks.map((chunk) => chunk.content).join("\n");
    expect(text).toContain("Six seamstresses");
    expect(text).not.toMatch(/cookies|Accept all|Copyright|Door code/);
    expect(await found("seamstresses workshop")).toContain("Six seamstresses");
    expect(await found("door code staff")).not.toContain("4471");
    // robots.txt before any page, then each page once (the fragment and the duplicate link are
    // the same page); never the disallowed page, the asset or the other site.
    expect(site.requests[0]).toBe("/robots.txt");
    expect(site.requests.filter((path) => path !== "/robots.txt")).toEqual(["/", "/about", "/shipping"]);
    expect(new Set(site.userAgents)).toEqual(new Set([CRAWLER_USER_AGENT]));
  });

  it("follows the start page to the same site's www address and crawls that site", async () => {
    site.set("/moved", { status: 301, headers: { location: `${shopAs("www.shop.example")}/about` } });
    const { id } = await addKnowledgeUrl(t.db, owner, { url: `${shopAs("shop.example")}/moved` });
    const document = await settled(id);
    expect(document).toMatchObject({ status: "ready", sourceUrl: `${shopAs("www.shop.example")}/about`, title: "About us" });
    expect((await chunksOf(id)).map((chunk) => chunk.headingPath[0])).toEqual(["About us"]);
    await removeKnowledgeDocument(t.db, owner, id);
  });

  it("re-crawls on re-index and picks up what changed on the site", async () => {
    const [document] = (await listKnowledgeDocuments(t.db, owner)).filter((d) => d.kind === "url");
    site.set("/about", htmlPage("About us", "<main><h1>Our story</h1><p>Eight seamstresses now sew every dress.</p></main>"));
    await reindexKnowledgeDocument(t.db, owner, document?.id ?? "");
    await vi.waitFor(async () => expect(await found("seamstresses")).toContain("Eight seamstresses"), { timeout: 30_000, interval: 50 });
    expect(await found("seamstresses")).not.toContain("Six seamstresses");
  });

  it(`stops at ${CRAWL_MAX_PAGES} pages, fetched a few per job run`, async () => {
    const { id } = await addKnowledgeUrl(t.db, owner, { url: `${many.origin}/p/0` });
    expect(await settled(id)).toMatchObject({ status: "ready" });
    const pageRequests = many.requests.filter((path) => path.startsWith("/p/"));
    // Breadth first: the 50 nearest pages, each once.
    expect(pageRequests).toEqual(Array.from({ length: CRAWL_MAX_PAGES }, (_, n) => `/p/${n}`));
    expect(await found("fact number 49")).toContain("Fact number 49.");
    // Each run fetched at most CRAWL_PAGES_PER_RUN pages and queued the next run.
    const runs = lines
      .filter((line) => line.includes("knowledge source step") && line.includes(id))
      .map((line) => JSON.parse(line) as { outcome: string; fetched?: number });
    expect(runs.map((run) => run.fetched ?? null)).toEqual([
      ...Array.from({ length: CRAWL_MAX_PAGES / CRAWL_PAGES_PER_RUN - 1 }, () => CRAWL_PAGES_PER_RUN),
      null,
    ]);
    expect(runs.at(-1)?.outcome).toBe("extracted");
  }, 90_000);

  it("never holds up another owner's knowledge while a crawl waits on a slow site", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    site.set("/slow", { ...htmlPage("Slow page", "<p>It came at last.</p>"), hold: held });
    const crawl = await addKnowledgeUrl(t.db, owner, { url: `${site.origin}/slow` });
    await vi.waitFor(() => expect(site.requests).toContain("/slow"), { timeout: 30_000, interval: 20 });
    const other = await addKnowledgeFile(t.db, stranger, { filename: "hours.txt", contentType: "text/plain", bytes: encode("Open daily 9 to 18.") });
    await vi.waitFor(
      async () => expect((await listKnowledgeDocuments(t.db, stranger)).find((d) => d.id === other.id)?.status).toBe("ready"),
      { timeout: 30_000, interval: 50 },
    );
    expect((await listKnowledgeDocuments(t.db, owner)).find((d) => d.id === crawl.id)?.status).toBe("processing");
    release();
    expect(await settled(crawl.id)).toMatchObject({ status: "ready", title: "Slow page" });
  });

  it("fails with the start page's reason when nothing can be read", async () => {
    site.set("/robots.txt", { contentType: "text/plain", body: "User-agent: AudnixBot\nDisallow: /\n" });
    const { id } = await addKnowledgeUrl(t.db, owner, { url: `${site.origin}/about` });
    expect(await failedWith(id)).toBe(`No page of the site could be read. ${CRAWL_PAGE_NOTES.robots}`);
    site.set("/robots.txt", shopSite()["/robots.txt"]);

    const missing = await addKnowledgeUrl(t.db, owner, { url: `${site.origin}/gone` });
    expect(await failedWith(missing.id)).toBe(`No page of the site could be read. ${CRAWL_PAGE_NOTES.http_error}`);
  });
});
