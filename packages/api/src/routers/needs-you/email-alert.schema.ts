import { z } from "zod";

export const setEmailAlertInput = z.object({ enabled: z.boolean() });

export type SetEmailAlertInput = z.output<typeof setEmailAlertInput>;
