const ORIGIN_PROBE = "http://same-origin.invalid";

// Our own links are short; a longer target is not one of them.
const MAX_TARGET_LENGTH = 2_048;

// Browsers drop tabs and newlines anywhere in a URL ("/\t/evil" is "//evil") and read "\" as "/".
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f\\]/;

/**
 * Returns `to` when it stays on this site, else `fallback`. Guards every user-supplied redirect
 * target against open redirects (`//evil.example`, `/\evil.example`, `https://evil.example`,
 * `/.//evil.example`).
 */
export function safeRedirect(to: unknown, fallback = "/dashboard"): string {
  if (typeof to !== "string" || to.length > MAX_TARGET_LENGTH || !to.startsWith("/") || UNSAFE_CHARACTER.test(to)) {
    return fallback;
  }
  const url = new URL(to, ORIGIN_PROBE);
  if (url.origin !== ORIGIN_PROBE) return fallback;
  const target = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments collapse while parsing ("/.//evil" becomes "//evil"): what is left must still be
  // a path, not a protocol-relative URL naming another host.
  return target.startsWith("//") ? fallback : target;
}
