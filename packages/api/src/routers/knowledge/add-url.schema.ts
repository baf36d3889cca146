import { KNOWLEDGE_URL_MAX_CHARS } from "@audnix/core";
import { z } from "zod";

// The address's rules (http(s), no credentials) are core's parseKnowledgeUrl, applied by the repository.
export const addUrlInput = z.object({
  url: z
    .string()
    .trim()
    .min(1, { error: "Enter the website's address." })
    .max(KNOWLEDGE_URL_MAX_CHARS, { error: `Keep the address under ${KNOWLEDGE_URL_MAX_CHARS.toLocaleString("en")} characters.` }),
});

export type AddUrlInput = z.output<typeof addUrlInput>;
