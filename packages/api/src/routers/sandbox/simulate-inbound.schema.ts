import { z } from "zod";

export const simulateInboundInput = z.object({
  name: z.string().trim().min(1, { error: "Enter the sender's name." }).max(80, { error: "Keep the name under 80 characters." }),
  text: z
    .string()
    .trim()
    .min(1, { error: "Enter a message." })
    .max(2000, { error: "Keep the message under 2,000 characters." }),
  /** Only the sandbox can be simulated; real channels arrive through their signed webhooks. */
  channel: z.literal("sandbox").default("sandbox"),
});

export type SimulateInboundInput = z.output<typeof simulateInboundInput>;
