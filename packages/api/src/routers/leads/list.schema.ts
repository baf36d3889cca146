import { z } from "zod";
import { leadCursorSchema } from "./lead-cursor.ts";

export const listLeadsInput = z.object({
  cursor: leadCursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export type ListLeadsInput = z.output<typeof listLeadsInput>;
