import { createCaller, createTrpcContext } from "@audnix/api";
import { db } from "./db.server.ts";
import { getEnv } from "./env.server.ts";

/** Server-side tRPC caller, so loaders read exactly what the typed client over /api/trpc reads. */
export function createServerCaller(userId: string | null) {
  return createCaller(createTrpcContext({ db, userId, paymentLinks: getEnv().paymentLinks }));
}
