import { KNOWLEDGE_DOCUMENT_MAX_CHARS, KNOWLEDGE_TITLE_MAX_CHARS } from "@audnix/core";
import { z } from "zod";

export const addDocumentInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, { error: "Give the document a title." })
    .max(KNOWLEDGE_TITLE_MAX_CHARS, { error: `Keep the title under ${KNOWLEDGE_TITLE_MAX_CHARS} characters.` }),
  text: z
    .string()
    .trim()
    .min(1, { error: "Paste the text to add." })
    .max(KNOWLEDGE_DOCUMENT_MAX_CHARS, { error: `A document holds at most ${KNOWLEDGE_DOCUMENT_MAX_CHARS.toLocaleString("en")} characters; split it in parts.` }),
});

export type AddDocumentInput = z.output<typeof addDocumentInput>;
