const ORIGIN_PROBE = "http://same-origin.invalid";

/**
 * Returns `to` when it stays on this site, else `fallback`. Guards every user-supplied redirect
 * target against open redirects (`//evil.example`, `/\evil.example`, `https://evil.example`).
 */
export function safeRedirect(to: unknown, fallback = "/dashboard"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) {
    return fallback;
  }
  const url = new URL(to, ORIGIN_PROBE);
  if (url.origin !== ORIGIN_PROBE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
