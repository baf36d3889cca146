import { z } from "zod";

export const reindexDocumentInput = z.object({ id: z.uuid() });

export type ReindexDocumentInput = z.output<typeof reindexDocumentInput>;
