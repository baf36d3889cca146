import { z } from "zod";

export const clearNeedsOwnerInput = z.object({ leadId: z.uuid() });

export type ClearNeedsOwnerInput = z.output<typeof clearNeedsOwnerInput>;
