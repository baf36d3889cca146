import { z } from "zod";

export const summaryByIdInput = z.object({ id: z.uuid() });

export type SummaryByIdInput = z.output<typeof summaryByIdInput>;
