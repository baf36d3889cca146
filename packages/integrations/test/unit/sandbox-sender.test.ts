import type { OutboundMessage } from "@audnix/core";
import { describe, expect, it } from "vitest";
import { createSandboxSender } from "../../src/sandbox/sandbox-sender.ts";

const message: OutboundMessage = {
  idempotencyKey: "lead-1:step-1",
  channel: "sandbox",
  recipient: { externalId: "sandbox-lead-1", name: "Maya" },
  text: "Hi Maya!",
};

describe("createSandboxSender", () => {
  it("always reports sent, with an id that depends only on the idempotency key", async () => {
    const sender = createSandboxSender();
    const first = await sender.send(message);
    const retried = await sender.send({ ...message, text: "a retried job may regenerate the text" });
    const other = await sender.send({ ...message, idempotencyKey: "lead-1:step-2" });

    expect(sender.channel).toBe("sandbox");
    // sha256("lead-1:step-1"), first 16 hex digits.
    expect(first).toEqual({ status: "sent", providerMessageId: "sandbox:1344126ed318c935" });
    expect(retried).toEqual(first);
    expect(other).not.toEqual(first);
  });
});
