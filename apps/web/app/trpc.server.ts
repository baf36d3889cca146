import { createCaller, createTrpcContext } from "@audnix/api";
import { db } from "./db.server.ts";
import { getEnv } from "./env.server.ts";
import { followUpServices } from "./follow-ups/services.server.ts";
import { connectionServices } from "./connections/connection-services.server.ts";
import { trpcRateLimit } from "./rate-limit.server.ts";

/**
 * The tRPC context of a request by `userId`: the same for /api/trpc and for loaders, except that
 * only /api/trpc spends the per-user API budget (a page's loaders are one page view). Costly
 * procedures (preview, verify & connect, simulate) spend their own budget either way.
 */
export function createWebTrpcContext(userId: string | null, { via }: { via: "http" | "server" }) {
  return createTrpcContext({
    db,
    userId,
    paymentLinks: getEnv().paymentLinks,
    sandboxRunId: getEnv().sandboxRunId,
    ...followUpServices(),
    connections: connectionServices(),
    rateLimit: trpcRateLimit({ includeApi: via === "http" }),
  });
}

/** Server-side tRPC caller, so loaders read exactly what the typed client over /api/trpc reads. */
export function createServerCaller(userId: string | null) {
  return createCaller(createWebTrpcContext(userId, { via: "server" }));
}
