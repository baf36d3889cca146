import { addKnowledgeUrl } from "@audnix/db";
import type { ProtectedContext } from "../../trpc.ts";
import type { AddUrlInput } from "./add-url.schema.ts";
import { knowledgeLimitToTrpc } from "./knowledge-errors.ts";

/** Stores the address and queues its crawl; the answer comes before any page is fetched. */
export async function addUrlHandler({ ctx, input }: { ctx: ProtectedContext; input: AddUrlInput }) {
  try {
    return await addKnowledgeUrl(ctx.db, ctx.userId, { url: input.url });
  } catch (error) {
    throw knowledgeLimitToTrpc(error);
  }
}
