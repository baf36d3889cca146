import type { Embedder, TextGenerator } from "@audnix/core";
import type { Db } from "@audnix/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { PaymentLinks } from "./routers/billing/checkout-url.ts";
import type { ConnectionServices } from "./routers/connections/services.ts";

/** A per-user budget a call spends: "api" is every call, the others a costly procedure's own. */
export type RateLimitTier = "api" | "preview" | "connect" | "simulate" | "knowledgeSearch" | "knowledgeSources" | "ownerSend" | "summaryNow";

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Spends one call of `userId`'s budget in `tier`; the composition root keeps the counters. */
export type RateLimit = (tier: RateLimitTier, userId: string) => Promise<RateLimitVerdict>;

/** The cause of a TOO_MANY_REQUESTS error: which budget ran out, and for how long. */
export class RateLimitedError extends Error {
  readonly tier: RateLimitTier;
  readonly retryAfterSeconds: number;

  constructor(tier: RateLimitTier, retryAfterSeconds: number) {
    super(`rate limit ${tier}: retry after ${retryAfterSeconds} s`);
    this.name = "RateLimitedError";
    this.tier = tier;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

interface ProcedureMeta {
  /** The costly action a procedure performs (a paid model call, a vendor check, a capture). */
  rateLimit?: Exclude<RateLimitTier, "api">;
}

export interface TrpcContext {
  db: Db;
  /** The signed-in user, resolved by the adapter from the session; null for anonymous calls. */
  userId: string | null;
  /** The clock every handler reads, so time-dependent answers are testable. */
  now: () => Date;
  /** Each paid plan's payment link, from the app's configuration; a missing one disables that upgrade. */
  paymentLinks: PaymentLinks;
  /** The language model for follow-up previews; null = the sandbox composer (no AI configured). */
  generator: TextGenerator | null;
  /** Whether this deployment can make voice notes at all (ENABLE_VOICE and a voice key). */
  voiceNotesAvailable: boolean;
  /** Verifying and sealing channel credentials; null where the app did not wire them (connect is refused). */
  connections: ConnectionServices | null;
  /** Per-user rate limits; without one (tests, scripts) every call is allowed. */
  rateLimit: RateLimit;
  /** Embeds search queries for the vector ranking; null = full-text search only. */
  embedder: Embedder | null;
  /** This `pnpm dev` launch's id when its local vendor fakes are running (SANDBOX_RUN_ID); null otherwise. */
  sandboxRunId: string | null;
}

/** The context after `protectedProcedure`: a user is known. */
export type ProtectedContext = TrpcContext & { userId: string };

export function createTrpcContext(opts: {
  db: Db;
  userId: string | null;
  now?: () => Date;
  paymentLinks?: PaymentLinks;
  generator?: TextGenerator | null;
  voiceNotesAvailable?: boolean;
  connections?: ConnectionServices | null;
  rateLimit?: RateLimit;
  embedder?: Embedder | null;
  sandboxRunId?: string | null;
}): TrpcContext {
  return {
    db: opts.db,
    userId: opts.userId,
    now: opts.now ?? (() => new Date()),
    paymentLinks: opts.paymentLinks ?? {},
    generator: opts.generator ?? null,
    voiceNotesAvailable: opts.voiceNotesAvailable ?? false,
    connections: opts.connections ?? null,
    rateLimit: opts.rateLimit ?? (async () => ({ allowed: true })),
    embedder: opts.embedder ?? null,
    sandboxRunId: opts.sandboxRunId ?? null,
  };
}

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      // Unexpected failures may carry SQL or driver details; the adapter's onError logs the
      // original, the client only learns that something went wrong. tRPC adds the stack outside
      // production, and "outside production" is only as true as the NODE_ENV someone set: never.
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message;
      const { stack: _stack, ...data } = shape.data;
      const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
      const retryAfterSeconds = error.cause instanceof RateLimitedError ? error.cause.retryAfterSeconds : null;
      return { ...shape, message, data: { ...data, zodError, retryAfterSeconds } };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(async ({ ctx, meta, next }) => {
  const { userId } = ctx;
  if (userId === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  for (const tier of meta?.rateLimit ? (["api", meta.rateLimit] as const) : (["api"] as const)) {
    const verdict = await ctx.rateLimit(tier, userId);
    if (!verdict.allowed) {
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `Too many requests: try again in ${verdict.retryAfterSeconds} seconds.`,
        cause: new RateLimitedError(tier, verdict.retryAfterSeconds),
      });
    }
  }
  return next({ ctx: { ...ctx, userId } });
});
