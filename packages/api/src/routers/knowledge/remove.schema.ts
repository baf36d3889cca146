import { z } from "zod";

export const removeDocumentInput = z.object({ id: z.uuid() });

export type RemoveDocumentInput = z.output<typeof removeDocumentInput>;
