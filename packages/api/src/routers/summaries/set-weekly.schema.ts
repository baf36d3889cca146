import { z } from "zod";

export const setWeeklySummaryInput = z.object({ enabled: z.boolean() });

export type SetWeeklySummaryInput = z.output<typeof setWeeklySummaryInput>;
