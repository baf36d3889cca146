import { protectedProcedure, router } from "../../trpc.ts";
import { meHandler } from "./me.handler.ts";

export const viewerRouter = router({
  me: protectedProcedure.query(({ ctx }) => meHandler({ ctx })),
});
