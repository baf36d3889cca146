import { localDateSchema } from "@audnix/core";
import { Channel, LeadStatus } from "@audnix/db";
import { z } from "zod";
import { leadCursorSchema } from "./lead-cursor.ts";

export const listLeadsInput = z.object({
  cursor: leadCursorSchema.optional(),
  limit: z.number().int().min(1).max(100).default(25),
  /** Matches name, email, phone or the platform's id, case-insensitively; blank means no search. */
  search: z.string().trim().max(100).optional(),
  channel: z.enum(Channel).optional(),
  status: z.enum(LeadStatus).optional(),
  /** Only leads waiting for the owner ("Needs you"), the longest-waiting first. */
  needsYou: z.boolean().optional(),
  /** The dashboard tiles' drill-down: leads to which `kind` happened on the owner's days from..to. */
  activity: z
    .object({
      kind: z.enum(["created", "messaged", "ai_messaged", "converted", "opted_out", "delivery_problem"]),
      from: localDateSchema,
      to: localDateSchema,
    })
    .optional(),
});

export type ListLeadsInput = z.output<typeof listLeadsInput>;
