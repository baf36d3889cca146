import { disconnectConnection } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import type { DisconnectInput } from "./disconnect.schema.ts";

export async function disconnectHandler({ ctx, input }: { ctx: ProtectedContext; input: DisconnectInput }) {
  return disconnectConnection(ctx.db, { userId: ctx.userId, channel: input.channel, now: ctx.now() });
}
