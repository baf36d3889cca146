import { randomBytes } from "node:crypto";
import { recordTestSecret } from "@audnix/integrations/testing";
import { describe, expect, it } from "vitest";
import { openDashboard, withPage } from "./browser-steps.ts";
import { useE2eApp } from "./e2e-app.ts";
import { startWebServer } from "./web-server.ts";

const started = useE2eApp();

const get = (url: string, init: RequestInit = {}) => fetch(url, { redirect: "manual", ...init });

function expectSecurityHeaders(response: Response, where: string) {
  const csp = response.headers.get("Content-Security-Policy") ?? "";
  expect(csp, where).toContain("default-src 'self'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).not.toContain("unsafe-eval");
  expect(csp, where).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(response.headers.get("X-Content-Type-Options"), where).toBe("nosniff");
  expect(response.headers.get("Referrer-Policy"), where).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("X-Frame-Options"), where).toBe("DENY");
}

const nonceOf = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1];

describe("security headers", () => {
  it("are on every kind of response: pages, data, assets, resource routes, errors and webhooks", async () => {
    const { server } = started();
    const home = await get(`${server.url}/`);
    const asset = /\/assets\/[\w.-]+\.js/.exec(await home.text())?.[0];
    expect(asset).toBeDefined();
    for (const path of ["/", "/auth", "/no-such-page", "/healthz", "/favicon.svg", asset, "/api/trpc/viewer.me", "/api/live", "/api/webhook/instagram"]) {
      const response = await get(`${server.url}${path}`);
      expectSecurityHeaders(response, path ?? "");
      // HSTS is for production only (this server runs in test mode, on http://localhost).
      expect(response.headers.get("Strict-Transport-Security"), path).toBeNull();
      await response.body?.cancel();
    }
  });

  it("gives each page a fresh nonce and puts it on the page's inline scripts", async () => {
    const { server } = started();
    const first = await get(`${server.url}/auth`);
    const second = await get(`${server.url}/auth`);
    const nonce = nonceOf(first);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(second)).not.toBe(nonce);
    const html = await first.text();
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1] ?? "");
    expect(inlineScripts.length).toBeGreaterThan(0);
    for (const attributes of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);
    await second.body?.cancel();
  });

  it("lets the pages hydrate in Chromium without a single policy violation", async () => {
    const { server, browser } = started();
    await withPage(browser, async (page) => {
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (event) => console.error(`Content Security Policy: ${event.violatedDirective}`));
      });
      // Signing in needs the hydrated form; "Live" needs the live stream (connect-src) and React.
      await openDashboard(page, server.url, "csp-owner@audnix.local");
      await page.getByRole("link", { name: /Connections/ }).click();
      await page.waitForURL(`${server.url}/dashboard/connections`);
      expect(violations).toEqual([]);
    });
  });

  it("answers a request Express cannot decode without its stack", async () => {
    const { server } = started();
    const response = await get(`${server.url}/assets/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("Bad request");
  });

  it("keys per-address limits by the connection, not a client's own X-Forwarded-For", async () => {
    const { server, database } = started();
    await database.db.asSystem((tx) => tx.rateLimit.deleteMany());
    const demoSignIn = (attempt: number) =>
      get(`${server.url}/auth`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": `198.51.100.${attempt}` },
        body: new URLSearchParams({ email: `spoofer${attempt}@audnix.local` }),
      });
    for (let attempt = 1; attempt <= 10; attempt++) expect((await demoSignIn(attempt)).status).toBe(302);
    const refused = await demoSignIn(11);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many demo sign-ins from your network. Try again in 15 minutes.");
  });
});

describe("in production", () => {
  it("adds HSTS for a year, subdomains included", async () => {
    const { database } = started();
    const jwtSecret = randomBytes(32).toString("hex");
    const encryptionKey = randomBytes(32).toString("base64");
    recordTestSecret(jwtSecret, encryptionKey);
    const production = await startWebServer({
      NODE_ENV: "production",
      DATABASE_URL: database.appUrl,
      JWT_SECRET: jwtSecret,
      ENCRYPTION_KEY: encryptionKey,
      LOG_LEVEL: "warn",
    });
    try {
      for (const path of ["/", "/healthz"]) {
        const response = await get(`${production.url}${path}`);
        expectSecurityHeaders(response, path);
        expect(response.headers.get("Strict-Transport-Security"), path).toBe("max-age=31536000; includeSubDomains");
        await response.body?.cancel();
      }
    } finally {
      await production.stop();
    }
  });
});
