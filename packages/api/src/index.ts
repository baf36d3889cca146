import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { appRouter, type AppRouter } from "./root.ts";
import { createCallerFactory } from "./trpc.ts";

export { appRouter, type AppRouter };
export {
  createTrpcContext,
  RateLimitedError,
  type RateLimit,
  type RateLimitTier,
  type RateLimitVerdict,
  type TrpcContext,
} from "./trpc.ts";

/** Server-side calls without HTTP: `createCaller(createTrpcContext({ db, userId }))`. */
export const createCaller = createCallerFactory(appRouter);

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
