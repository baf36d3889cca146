import { SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT, SEARCH_QUERY_MAX_CHARS } from "@audnix/core";
import { z } from "zod";

export const searchKnowledgeInput = z.object({
  query: z
    .string()
    .max(SEARCH_QUERY_MAX_CHARS, { error: `Search with at most ${SEARCH_QUERY_MAX_CHARS} characters.` }),
  limit: z.number().int().min(1).max(SEARCH_MAX_LIMIT, { error: `Ask for at most ${SEARCH_MAX_LIMIT} results.` }).default(SEARCH_DEFAULT_LIMIT),
});

export type SearchKnowledgeInput = z.output<typeof searchKnowledgeInput>;
