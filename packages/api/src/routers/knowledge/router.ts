import { protectedProcedure, router } from "../../trpc.ts";
import { addDocumentHandler } from "./add-document.handler.ts";
import { addDocumentInput } from "./add-document.schema.ts";
import { addFaqHandler } from "./add-faq.handler.ts";
import { addFaqInput } from "./add-faq.schema.ts";
import { addUrlHandler } from "./add-url.handler.ts";
import { addUrlInput } from "./add-url.schema.ts";
import { listDocumentsHandler } from "./list.handler.ts";
import { removeDocumentHandler } from "./remove.handler.ts";
import { removeDocumentInput } from "./remove.schema.ts";
import { reindexDocumentHandler } from "./reindex.handler.ts";
import { reindexDocumentInput } from "./reindex.schema.ts";
import { searchKnowledgeHandler } from "./search.handler.ts";
import { searchKnowledgeInput } from "./search.schema.ts";

export const knowledgeRouter = router({
  addDocument: protectedProcedure.input(addDocumentInput).mutation(({ ctx, input }) => addDocumentHandler({ ctx, input })),
  addFaq: protectedProcedure.input(addFaqInput).mutation(({ ctx, input }) => addFaqHandler({ ctx, input })),
  addUrl: protectedProcedure.meta({ rateLimit: "knowledgeSources" }).input(addUrlInput).mutation(({ ctx, input }) => addUrlHandler({ ctx, input })),
  reindex: protectedProcedure.meta({ rateLimit: "knowledgeSources" }).input(reindexDocumentInput).mutation(({ ctx, input }) => reindexDocumentHandler({ ctx, input })),
  list: protectedProcedure.query(({ ctx }) => listDocumentsHandler({ ctx })),
  remove: protectedProcedure.input(removeDocumentInput).mutation(({ ctx, input }) => removeDocumentHandler({ ctx, input })),
  search: protectedProcedure.meta({ rateLimit: "knowledgeSearch" }).input(searchKnowledgeInput).query(({ ctx, input }) => searchKnowledgeHandler({ ctx, input })),
});
