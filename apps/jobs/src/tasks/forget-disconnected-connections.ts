import { forgetDisconnectedCredentials } from "@audnix/db";
import { z } from "zod";
import { defineTask } from "./define-task.ts";

// Scheduled by the crontab (graphile-worker adds `_cron`) or added by hand with `{}`.
const payloadSchema = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).optional(),
});

/** Erases the sealed credentials of disconnects whose undo window has closed (core DISCONNECT_UNDO_MINUTES). */
export const forgetDisconnectedConnectionsTask = defineTask(payloadSchema, async (_payload, { deps, logger }) => {
  const count = await forgetDisconnectedCredentials(deps.db, deps.now());
  logger.info("disconnected credentials erased", { count });
});
