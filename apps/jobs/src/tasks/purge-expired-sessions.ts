import { purgeExpiredSessions } from "@audnix/db";
import { z } from "zod";
import { defineTask } from "./define-task.ts";

// Scheduled by the crontab (graphile-worker adds `_cron`) or added by hand with `{}`.
const payloadSchema = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).optional(),
});

/** Deletes sessions past their expiry: they can no longer sign anyone in, only take space. */
export const purgeExpiredSessionsTask = defineTask(payloadSchema, async (_payload, { deps, logger }) => {
  const count = await purgeExpiredSessions(deps.db, deps.now());
  logger.info("expired sessions purged", { count });
});
