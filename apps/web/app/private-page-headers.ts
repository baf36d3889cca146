import type { HeadersFunction } from "@remix-run/node";

/** Account pages must not be kept by shared caches, nor shown again from history after signing out. */
export const privatePageHeaders: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });
