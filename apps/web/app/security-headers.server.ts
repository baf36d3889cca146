import { randomBytes } from "node:crypto";

export type SecurityMode = "development" | "test" | "production";

/** A fresh Content-Security-Policy nonce: 128 random bits, a new one for every response. */
export function createCspNonce(): string {
  return randomBytes(16).toString("base64");
}

function contentSecurityPolicy(nonce: string | null, mode: SecurityMode): string {
  // Vite's dev server injects inline scripts and styles for hot reloading and talks over a
  // websocket: only `pnpm dev` gets that leeway.
  const development = mode === "development";
  const scripts = development ? ["'self'", "'unsafe-inline'", "'unsafe-eval'"] : ["'self'", ...(nonce ? [`'nonce-${nonce}'`] : [])];
  const directives = [
    "default-src 'self'",
    `script-src ${scripts.join(" ")}`,
    `style-src 'self'${development ? " 'unsafe-inline'" : ""}`,
    // Style attributes (a progress bar's width) cannot run script; <style> elements stay 'self'.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/**
 * The headers on every response of ours. `nonce` allows the page's own inline scripts (Remix's
 * hydration data); null for responses that are not pages (webhooks). HSTS only in production:
 * development and the e2e suite run on plain http://localhost.
 */
export function securityHeaders(nonce: string | null, mode: SecurityMode): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, mode),
    // For browsers without frame-ancestors.
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    ...(mode === "production" ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
