import { z } from "zod";

export const leadByIdInput = z.object({ id: z.uuid() });

export type LeadByIdInput = z.output<typeof leadByIdInput>;
