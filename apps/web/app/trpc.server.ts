import { createCaller, createTrpcContext } from "@audnix/api";
import { db } from "./db.server.ts";
import { getEnv } from "./env.server.ts";
import { followUpServices } from "./follow-ups/services.server.ts";
import { connectionServices } from "./connections/connection-services.server.ts";

/** The tRPC context of a request by `userId`: the same for /api/trpc and for loaders. */
export function createWebTrpcContext(userId: string | null) {
  return createTrpcContext({ db, userId, paymentLinks: getEnv().paymentLinks, ...followUpServices(), connections: connectionServices() });
}

/** Server-side tRPC caller, so loaders read exactly what the typed client over /api/trpc reads. */
export function createServerCaller(userId: string | null) {
  return createCaller(createWebTrpcContext(userId));
}
