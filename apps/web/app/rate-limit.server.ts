import { RateLimitedError, type RateLimit, type RateLimitTier as ApiRateLimitTier, type RateLimitVerdict } from "@audnix/api";
import { TRPCError } from "@trpc/server";
import type { Db } from "@audnix/db";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "./db.server.ts";

/** Budgets: per client address before sign-in, per user after it (tRPC's tiers are per user). */
export type RateLimitTier = "signInStart" | "demoSignIn" | ApiRateLimitTier;

export interface RateLimitRule {
  points: number;
  windowSeconds: number;
  /** What the owner is told, before "Try again in …". */
  refusal: string;
}

// Sized so a person never meets them and a script soon does (docs/decisions/0015).
export const RATE_LIMIT_RULES: Record<RateLimitTier, RateLimitRule> = {
  signInStart: { points: 20, windowSeconds: 15 * 60, refusal: "Too many sign-in attempts from your network." },
  demoSignIn: { points: 10, windowSeconds: 15 * 60, refusal: "Too many demo sign-ins from your network." },
  // Every preview spends the platform's model key.
  preview: { points: 30, windowSeconds: 60 * 60, refusal: "You have asked for many drafts in a short time." },
  // Every verification calls the vendor (Graph API, an SMTP login).
  connect: { points: 10, windowSeconds: 15 * 60, refusal: "Too many connection attempts." },
  simulate: { points: 60, windowSeconds: 60 * 60, refusal: "Too many simulated messages." },
  // With an embedding key every search embeds the question (a paid call).
  knowledgeSearch: { points: 120, windowSeconds: 60 * 60, refusal: "You have tried many questions in a short time." },
  // Every website, file or re-index sets the worker reading (up to 50 pages of someone's site, a 500-page PDF).
  knowledgeSources: { points: 30, windowSeconds: 60 * 60, refusal: "You have added or re-read many files and websites in a short time." },
  // Every reply or retry the owner sends reaches a lead through a vendor (a busy inbox stays far below it).
  ownerSend: { points: 120, windowSeconds: 60 * 60, refusal: "You have sent many messages in a short time." },
  // Every press emails the owner a summary ("Send me this week's summary now").
  summaryNow: { points: 5, windowSeconds: 60 * 60, refusal: "You have asked for many summaries in a short time." },
  api: { points: 300, windowSeconds: 60, refusal: "Too many requests." },
};

// Our migration creates it (20261201194724_rate_limits), so the app role needs no CREATE.
const TABLE = "rate_limits";

export interface RateLimits {
  /** Spends one point of `key`'s budget in `tier`. */
  consume(tier: RateLimitTier, key: string): Promise<RateLimitVerdict>;
}

/** Counters in Postgres (rate-limiter-flexible), so every web process shares the same budgets. */
export function createRateLimits(pool: Db["pool"], rules: Record<RateLimitTier, RateLimitRule> = RATE_LIMIT_RULES): RateLimits {
  const limiters = new Map(
    Object.entries(rules).map(([tier, rule]) => [
      tier,
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: TABLE,
        tableCreated: true,
        keyPrefix: tier,
        points: rule.points,
        duration: rule.windowSeconds,
        // Once over, the key is refused from memory until its window ends: a script hammering
        // the limit costs no further queries.
        inMemoryBlockOnConsumed: rule.points + 1,
      }),
    ]),
  );
  return {
    async consume(tier, key) {
      const limiter = limiters.get(tier);
      if (!limiter) throw new Error(`unknown rate-limit tier ${tier}`);
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (refused) {
        // The library rejects with its result when the budget is spent, with an Error otherwise.
        if (!(refused instanceof RateLimiterRes)) throw refused;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
      }
    },
  };
}

const globalCache = globalThis as typeof globalThis & { __audnixRateLimits?: RateLimits };

/** The process's limits, on the app's database pool. */
export function rateLimits(): RateLimits {
  return (globalCache.__audnixRateLimits ??= createRateLimits(db.pool));
}

/** tRPC's per-user limits; `includeApi` false for the app's own loaders, which are page views, not API traffic. */
export function trpcRateLimit({ includeApi }: { includeApi: boolean }): RateLimit {
  return async (tier, userId) => (tier === "api" && !includeApi ? { allowed: true } : rateLimits().consume(tier, userId));
}

/** "Try again in 3 minutes." */
export function rateLimitMessage(tier: RateLimitTier, retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} seconds` : minutes === 1 ? "1 minute" : `${minutes} minutes`;
  return `${RATE_LIMIT_RULES[tier].refusal} Try again in ${wait}.`;
}

/** The headers of a 429: the client may come back after this many seconds. */
export function retryAfterHeaders(retryAfterSeconds: number): Record<string, string> {
  return { "Retry-After": String(retryAfterSeconds) };
}

/**
 * For routes before sign-in: spends one point of the client address's budget, or throws the 429
 * (the root error boundary shows its message, the root's headers keep its Retry-After).
 */
export async function requireWithinRateLimit(tier: RateLimitTier, clientAddress: string): Promise<void> {
  const verdict = await rateLimits().consume(tier, clientAddress);
  if (verdict.allowed) return;
  throw new Response(rateLimitMessage(tier, verdict.retryAfterSeconds), {
    status: 429,
    headers: { ...retryAfterHeaders(verdict.retryAfterSeconds), "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** A tRPC call refused by a rate limit, as the 429 an action answers with its own body; else null. */
export function rateLimitRefusal(error: unknown): { message: string; init: { status: 429; headers: Record<string, string> } } | null {
  if (!(error instanceof TRPCError) || !(error.cause instanceof RateLimitedError)) return null;
  const { tier, retryAfterSeconds } = error.cause;
  return { message: rateLimitMessage(tier, retryAfterSeconds), init: { status: 429, headers: retryAfterHeaders(retryAfterSeconds) } };
}
