import { CRAWL_PAGE_MAX_BYTES, CRAWLER_USER_AGENT } from "@audnix/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSiteFetcher } from "../src/knowledge/site-fetcher.ts";
import { htmlPage, startLocalSite, type LocalSite } from "../src/testing/local-site.ts";

// The crawler's HTTP against a site served on 127.0.0.1: the private-network check (on unless
// the test allows its own origin), redirects kept on the origin, size, type and time limits, and
// robots.txt as RFC 9309 reads it.

let site: LocalSite;
let other: LocalSite;

beforeAll(async () => {
  other = await startLocalSite({ "/": htmlPage("Elsewhere", "<p>Another site.</p>") });
  site = await startLocalSite({
    "/": htmlPage("Home", '<base href="/docs/"><p>Hello.</p><a href="faq">FAQ</a> <a rel="nofollow" href="/login">Log in</a>'),
    "/moved": { status: 301, headers: { location: "/" } },
    "/away": { status: 302, headers: { location: `${"http://127.0.0.1"}:1/` } },
    "/loop": { status: 302, headers: { location: "/loop" } },
    "/big": { contentType: "text/html", body: Buffer.alloc(CRAWL_PAGE_MAX_BYTES + 1, "a") },
    "/logo": { contentType: "image/png", body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    "/slow": { ...htmlPage("Slow", "<p>Late.</p>"), delayMs: 3_000 },
    "/latin": { contentType: "text/html; charset=iso-8859-1", body: Buffer.from("<title>Caf\xe9</title><p>Caf\xe9 com leite.</p>", "latin1") },
    "/notes": { contentType: "text/plain; charset=utf-8", body: "Plain notes." },
    "/robots.txt": { contentType: "text/plain", body: "User-agent: AudnixBot\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n" },
  });
});

afterAll(async () => {
  await site?.close();
  await other?.close();
});

const allowed = () => createSiteFetcher({ allowPrivateOrigins: [site.origin], timeoutMs: 1_000 });

describe("the private-network check", () => {
  it("refuses loopback, private and link-local addresses without the test allowance, and sends nothing", async () => {
    const before = site.requests.length;
    expect(await createSiteFetcher().page(`${site.origin}/`)).toEqual({ ok: false, problem: "private_network" });
    for (const address of ["10.1.2.3", "192.168.0.10", "169.254.169.254", "100.64.0.1", "fd00::1"]) {
      const fetcher = createSiteFetcher({ resolve: async () => [{ address, family: address.includes(":") ? 6 : 4 }] });
      expect(await fetcher.page("http://intranet.shop.example/")).toEqual({ ok: false, problem: "private_network" });
    }
    expect(await createSiteFetcher().page("http://[::1]/")).toEqual({ ok: false, problem: "private_network" });
    expect(site.requests.length).toBe(before);
  });

  it("connects to the address it checked, whatever the name (no second lookup to rebind)", async () => {
    const port = new URL(site.origin).port;
    let lookups = 0;
    const fetcher = createSiteFetcher({
      allowPrivateOrigins: [`http://shop.example:${port}`],
      resolve: async () => {
        lookups += 1;
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    expect(await fetcher.page(`http://shop.example:${port}/notes`)).toMatchObject({ ok: true, text: "Plain notes." });
    expect(lookups).toBe(1);
  });

  it("answers a name that does not resolve as unreachable", async () => {
    const fetcher = createSiteFetcher({ resolve: async () => [] });
    expect(await fetcher.page("https://no-such-shop.example/")).toEqual({ ok: false, problem: "unreachable" });
  });
});

describe("pages", () => {
  it("reads a page: its title, its text and its links as written, relative to its <base href>, never nofollow", async () => {
    expect(await allowed().page(`${site.origin}/`)).toEqual({
      ok: true,
      url: `${site.origin}/`,
      base: `${site.origin}/docs/`,
      origin: site.origin,
      title: "Home",
      text: "Hello.\n\nFAQ Log in",
      links: ["faq"],
      sizeBytes: expect.any(Number),
    });
    expect(site.userAgents.at(-1)).toBe(CRAWLER_USER_AGENT);
  });

  it("follows redirects on the same origin only, a few at most", async () => {
    expect(await allowed().page(`${site.origin}/moved`)).toMatchObject({ ok: true, title: "Home" });
    expect(await allowed().page(`${site.origin}/away`)).toEqual({ ok: false, problem: "off_origin_redirect" });
    expect(await allowed().page(`${site.origin}/loop`)).toEqual({ ok: false, problem: "too_many_redirects" });
  });

  it("lets only a start page move to the same site's www or https address", async () => {
    const port = new URL(site.origin).port;
    const bare = `http://shop.example:${port}`;
    const www = `http://www.shop.example:${port}`;
    site.set("/site", { status: 301, headers: { location: `${www}/notes` } });
    site.set("/elsewhere", { status: 301, headers: { location: `http://shop.example.evil.test:${port}/notes` } });
    const fetcher = createSiteFetcher({
      allowPrivateOrigins: [bare, www, `http://shop.example.evil.test:${port}`],
      resolve: async () => [{ address: "127.0.0.1", family: 4 }],
    });
    expect(await fetcher.page(`${bare}/site`, { start: true })).toMatchObject({ ok: true, url: `${www}/notes`, origin: www, text: "Plain notes." });
    expect(await fetcher.page(`${bare}/site`)).toEqual({ ok: false, problem: "off_origin_redirect" });
    expect(await fetcher.page(`${bare}/elsewhere`, { start: true })).toEqual({ ok: false, problem: "off_origin_redirect" });
  });

  it("skips what is too big, not a page, too slow or an error", async () => {
    expect(await allowed().page(`${site.origin}/big`)).toEqual({ ok: false, problem: "too_large" });
    expect(await allowed().page(`${site.origin}/logo`)).toEqual({ ok: false, problem: "not_html" });
    expect(await allowed().page(`${site.origin}/slow`)).toEqual({ ok: false, problem: "timeout" });
    expect(await allowed().page(`${site.origin}/missing`)).toEqual({ ok: false, problem: "http_error" });
    expect(await allowed().page("http://127.0.0.1:1/")).toMatchObject({ ok: false });
  });

  it("decodes the charset the server names, and takes plain text as it is", async () => {
    expect(await allowed().page(`${site.origin}/latin`)).toMatchObject({ ok: true, title: "Café", text: "Café com leite." });
    expect(await allowed().page(`${site.origin}/notes`)).toMatchObject({ ok: true, title: null, text: "Plain notes.", links: [] });
  });
});

describe("robots.txt (RFC 9309)", () => {
  it("applies the group for our agent", async () => {
    const rules = await allowed().robots(site.origin);
    expect(rules.isAllowed(`${site.origin}/about`)).toBe(true);
    expect(rules.isAllowed(`${site.origin}/private/staff`)).toBe(false);
  });

  // Shaped after RFC 9309's own example (https://www.rfc-editor.org/rfc/rfc9309#section-5.1):
  // a group for every crawler with wildcards and an end anchor, and one named group.
  it("reads the RFC's example file: our own group when it names us, else the group for all", async () => {
    const rfcExample = (named: string) =>
      `User-Agent: *\nDisallow: *.gif$\nDisallow: /example/\nAllow: /publications/\n\nUser-Agent: ${named}\nDisallow:/\nAllow:/example/page.html\n`;
    const ours = await startLocalSite({ "/robots.txt": { contentType: "text/plain", body: rfcExample("AudnixBot") } });
    const others = await startLocalSite({ "/robots.txt": { contentType: "text/plain", body: rfcExample("foobot") } });
    try {
      const fetcher = createSiteFetcher({ allowPrivateOrigins: [ours.origin, others.origin] });
      const named = await fetcher.robots(ours.origin);
      expect([`${ours.origin}/example/page.html`, `${ours.origin}/publications/`].map((url) => named.isAllowed(url))).toEqual([true, false]);
      const all = await fetcher.robots(others.origin);
      expect(
        [`${others.origin}/publications/a`, `${others.origin}/example/page.html`, `${others.origin}/logo.gif`, `${others.origin}/about`].map((url) =>
          all.isAllowed(url),
        ),
      ).toEqual([true, false, false, true]);
    } finally {
      await ours.close();
      await others.close();
    }
  });

  it("allows everything when the file is missing, nothing when the server fails", async () => {
    const bare = await startLocalSite({});
    const failing = await startLocalSite({ "/robots.txt": { status: 503, body: "down" } });
    try {
      const fetcher = createSiteFetcher({ allowPrivateOrigins: [bare.origin, failing.origin] });
      expect((await fetcher.robots(bare.origin)).isAllowed(`${bare.origin}/any`)).toBe(true);
      expect((await fetcher.robots(failing.origin)).isAllowed(`${failing.origin}/any`)).toBe(false);
    } finally {
      await bare.close();
      await failing.close();
    }
  });
});
