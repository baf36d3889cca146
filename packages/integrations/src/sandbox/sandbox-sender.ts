import { createHash } from "node:crypto";
import type { ChannelSender } from "@audnix/core";

/**
 * The sandbox channel: nothing leaves the machine, the engine records the message and the dashboard
 * shows it. The id is derived from the idempotency key so a retried send reports the same message.
 */
export function createSandboxSender(): ChannelSender {
  return {
    channel: "sandbox",
    send: async (message) => ({ status: "sent", providerMessageId: `sandbox:${shortHash(message.idempotencyKey)}` }),
  };
}

function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 16);
}
