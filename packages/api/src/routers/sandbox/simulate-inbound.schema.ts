import { CAPTURE_CHANNELS } from "@audnix/core";
import { z } from "zod";

export const simulateInboundInput = z.object({
  name: z.string().trim().min(1, { error: "Enter the sender's name." }).max(80, { error: "Keep the name under 80 characters." }),
  text: z
    .string()
    .trim()
    .min(1, { error: "Enter a message." })
    .max(2000, { error: "Keep the message under 2,000 characters." }),
  /** The sandbox, or a channel connected to this `pnpm dev` launch's local fake (the handler checks). */
  channel: z.enum(CAPTURE_CHANNELS, { error: "Choose a channel." }).default("sandbox"),
});

export type SimulateInboundInput = z.output<typeof simulateInboundInput>;
