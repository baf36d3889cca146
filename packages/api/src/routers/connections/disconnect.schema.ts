import { z } from "zod";
import { CONNECTABLE_CHANNELS } from "./channels.ts";

export const disconnectInput = z.object({ channel: z.enum(CONNECTABLE_CHANNELS) });

export type DisconnectInput = z.output<typeof disconnectInput>;
