import { protectedProcedure, router } from "../../trpc.ts";
import { connectEmailHandler } from "./connect-email.handler.ts";
import { connectEmailInput } from "./connect-email.schema.ts";
import { connectWhatsappHandler } from "./connect-whatsapp.handler.ts";
import { connectWhatsappInput } from "./connect-whatsapp.schema.ts";
import { disconnectHandler } from "./disconnect.handler.ts";
import { disconnectInput } from "./disconnect.schema.ts";
import { listConnectionsHandler } from "./list.handler.ts";
import { undoDisconnectHandler } from "./undo-disconnect.handler.ts";

export const connectionsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listConnectionsHandler({ ctx })),
  connectWhatsapp: protectedProcedure.meta({ rateLimit: "connect" }).input(connectWhatsappInput).mutation(({ ctx, input }) => connectWhatsappHandler({ ctx, input })),
  connectEmail: protectedProcedure.meta({ rateLimit: "connect" }).input(connectEmailInput).mutation(({ ctx, input }) => connectEmailHandler({ ctx, input })),
  disconnect: protectedProcedure.input(disconnectInput).mutation(({ ctx, input }) => disconnectHandler({ ctx, input })),
  undoDisconnect: protectedProcedure.input(disconnectInput).mutation(({ ctx, input }) => undoDisconnectHandler({ ctx, input })),
});
