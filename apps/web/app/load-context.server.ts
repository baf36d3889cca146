import type { AppLoadContext } from "@remix-run/node";

// What the production server (server.ts, getLoadContext) hands every loader and action. The
// development server (Vite) hands nothing: there every request counts as one client.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address: the socket's peer, or what TRUST_PROXY's trusted proxies say it is. */
    clientAddress?: string;
    /** This response's Content-Security-Policy nonce (the header is already set). */
    cspNonce?: string;
  }
}

const UNKNOWN_CLIENT = "unknown";

/** The key of per-address rate limits. */
export function clientAddressOf(context: AppLoadContext): string {
  return context.clientAddress ?? UNKNOWN_CLIENT;
}
