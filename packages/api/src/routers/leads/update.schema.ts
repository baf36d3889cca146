import { leadDetailsSchema } from "@audnix/core";
import { z } from "zod";

/** The lead details the owner edits (core's checks: email, E.164 phone, tags, notes); every field is sent, empty clears it. */
export const updateLeadInput = leadDetailsSchema.extend({ leadId: z.uuid() });

export type UpdateLeadInput = z.output<typeof updateLeadInput>;
