import { createHash } from "node:crypto";
import type { UncheckedMessageEvent } from "./check-event.ts";
import type { CaptureChannel, InboundSender } from "./inbound-event.ts";

/**
 * Whether a connection was made against a `pnpm dev` launch's local vendor fakes: "current" for
 * this launch's (messages reach the running fake), "stale" for an earlier launch's (that fake is
 * gone), null for a real vendor's.
 */
export type SandboxConnectionState = "current" | "stale" | null;

export function sandboxConnectionState(connectionRunId: string | null, currentRunId: string | null): SandboxConnectionState {
  if (connectionRunId === null) return null;
  return connectionRunId === currentRunId ? "current" : "stale";
}

/** Digits derived from the name, so the same made-up person keeps writing into one conversation. */
function digitsOf(name: string, count: number): string {
  const hash = createHash("sha256").update(name).digest();
  return Array.from(hash.subarray(0, count), (byte) => String(byte % 10)).join("");
}

/**
 * The made-up person "sending" a simulated message, shaped like that channel's webhook sender: an
 * Instagram-scoped id (digits), a WhatsApp wa_id on the reserved +1 555 range, or an address on
 * the reserved .invalid domain, so a reply to them cannot reach a real person.
 */
export function simulatedSender(
  channel: CaptureChannel,
  rawName: string,
): { sender: InboundSender; thread: UncheckedMessageEvent["thread"] } {
  const name = rawName.trim();
  const key = name.toLowerCase();
  const slug = key.replace(/\s+/g, "-");
  switch (channel) {
    case "sandbox":
      return { sender: { externalId: `sandbox:${slug}`, name, email: null, phone: null }, thread: null };
    case "instagram":
      return { sender: { externalId: `17841${digitsOf(key, 12)}`, name, email: null, phone: null }, thread: null };
    case "whatsapp": {
      const waId = `1555${digitsOf(key, 7)}`;
      return { sender: { externalId: waId, name, email: null, phone: `+${waId}` }, thread: null };
    }
    case "email": {
      const local = key.split(/[^a-z0-9]+/).filter(Boolean).join(".") || "sender";
      const address = `${local}@example.invalid`;
      return { sender: { externalId: address, name, email: address, phone: null }, thread: { subject: null, references: [] } };
    }
  }
}
