import type { TextGenerator } from "@audnix/core";
import type { Db } from "@audnix/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { PaymentLinks } from "./routers/billing/checkout-url.ts";
import type { ConnectionServices } from "./routers/connections/services.ts";

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
}): TrpcContext {
  return {
    db: opts.db,
    userId: opts.userId,
    now: opts.now ?? (() => new Date()),
    paymentLinks: opts.paymentLinks ?? {},
    generator: opts.generator ?? null,
    voiceNotesAvailable: opts.voiceNotesAvailable ?? false,
    connections: opts.connections ?? null,
  };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Unexpected failures may carry SQL or driver details; the adapter's onError logs the
    // original, the client only learns that something went wrong.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : shape.message;
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    return { ...shape, message, data: { ...shape.data, zodError } };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.userId === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});
