import { appRouter, RateLimitedError } from "@audnix/api";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logger } from "../logger.server.ts";
import { retryAfterHeaders } from "../rate-limit.server.ts";
import { getUserId } from "../session.server.ts";
import { createWebTrpcContext } from "../trpc.server.ts";

function handleTrpc({ request }: LoaderFunctionArgs | ActionFunctionArgs) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => createWebTrpcContext(await getUserId(request), { via: "http" }),
    onError({ error, path }) {
      // The client sees only "Internal server error" for these; the cause is kept here.
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error("trpc procedure failed", { path, error });
    },
    // A refused call (429) says when to come back; in a batch, the longest wait.
    responseMeta({ errors }) {
      const waits = errors.flatMap((error) => (error.cause instanceof RateLimitedError ? [error.cause.retryAfterSeconds] : []));
      return waits.length > 0 ? { headers: new Headers(retryAfterHeaders(Math.max(...waits))) } : {};
    },
  });
}

// Queries arrive as GET (loader), mutations as POST (action).
export const loader = handleTrpc;
export const action = handleTrpc;
