import { protectedProcedure, router } from "../../trpc.ts";
import { simulateInboundHandler } from "./simulate-inbound.handler.ts";
import { simulateInboundInput } from "./simulate-inbound.schema.ts";

export const sandboxRouter = router({
  simulateInbound: protectedProcedure
    .meta({ rateLimit: "simulate" })
    .input(simulateInboundInput)
    .mutation(({ ctx, input }) => simulateInboundHandler({ ctx, input })),
});
