// Runs in any Node program or browser bundle: only types cross over from the server side, so
// importing this never loads Prisma or the routers.
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "./root.ts";

export type { AppRouter } from "./root.ts";
export type { RouterInputs, RouterOutputs } from "./index.ts";

export interface AudnixClientOptions {
  /** The tRPC endpoint, e.g. https://app.audnix.ai/api/trpc. */
  url: string;
  /** Sent with every request (a session cookie, an authorization header). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
}

export function createAudnixClient(options: AudnixClientOptions) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: options.url,
        transformer: superjson,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type AudnixClient = ReturnType<typeof createAudnixClient>;
