import { analyticsRangeSchema } from "@audnix/core";
import { z } from "zod";

/** Both analytics procedures take the range the dashboard's picker chose. */
export const analyticsRangeInput = z.object({ range: analyticsRangeSchema });

export type AnalyticsRangeInput = z.output<typeof analyticsRangeInput>;
