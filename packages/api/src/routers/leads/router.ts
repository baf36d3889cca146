import { protectedProcedure, router } from "../../trpc.ts";
import { leadByIdHandler } from "./by-id.handler.ts";
import { leadByIdInput } from "./by-id.schema.ts";
import { clearNeedsOwnerHandler } from "./clear-needs-owner.handler.ts";
import { clearNeedsOwnerInput } from "./clear-needs-owner.schema.ts";
import { listLeadsHandler } from "./list.handler.ts";
import { listLeadsInput } from "./list.schema.ts";
import { previewHandler } from "../follow-ups/preview.handler.ts";
import { leadInput } from "../follow-ups/lead.schema.ts";
import { replyChannelsHandler } from "./reply-channels.handler.ts";
import { replyHandler } from "./reply.handler.ts";
import { replyChannelsInput, replyInput, retrySendInput } from "./reply.schema.ts";
import { retrySendHandler } from "./retry-send.handler.ts";
import { updateLeadHandler } from "./update.handler.ts";
import { updateLeadInput } from "./update.schema.ts";

export const leadsRouter = router({
  list: protectedProcedure.input(listLeadsInput).query(({ ctx, input }) => listLeadsHandler({ ctx, input })),
  byId: protectedProcedure.input(leadByIdInput).query(({ ctx, input }) => leadByIdHandler({ ctx, input })),
  update: protectedProcedure.input(updateLeadInput).mutation(({ ctx, input }) => updateLeadHandler({ ctx, input })),
  clearNeedsOwner: protectedProcedure.input(clearNeedsOwnerInput).mutation(({ ctx, input }) => clearNeedsOwnerHandler({ ctx, input })),
  replyChannels: protectedProcedure.input(replyChannelsInput).query(({ ctx, input }) => replyChannelsHandler({ ctx, input })),
  reply: protectedProcedure.meta({ rateLimit: "ownerSend" }).input(replyInput).mutation(({ ctx, input }) => replyHandler({ ctx, input })),
  // The AI's draft for the reply box: followUps.preview's handler and output (preview stays for API users).
  draftReply: protectedProcedure.meta({ rateLimit: "preview" }).input(leadInput).mutation(({ ctx, input }) => previewHandler({ ctx, input })),
  retrySend: protectedProcedure.meta({ rateLimit: "ownerSend" }).input(retrySendInput).mutation(({ ctx, input }) => retrySendHandler({ ctx, input })),
});
