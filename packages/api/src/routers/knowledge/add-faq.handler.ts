import { faqChunk } from "@audnix/core";
import type { ProtectedContext } from "../../trpc.ts";
import { addOwnerDocument } from "./add-document.handler.ts";
import type { AddFaqInput } from "./add-faq.schema.ts";

/** One FAQ pair is one document of one chunk, titled by its question. */
export async function addFaqHandler({ ctx, input }: { ctx: ProtectedContext; input: AddFaqInput }) {
  return addOwnerDocument(ctx, { kind: "faq", title: input.question, content: faqChunk(input.question, input.answer).content });
}
