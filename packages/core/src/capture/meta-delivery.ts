import { z } from "zod";
import { checkInboundEvent, idProblem, type UncheckedInboundEvent } from "./check-event.ts";
import { deliveryGroups } from "./delivery-groups.ts";
import type { CaptureChannel, InboundEvent, ParsedDelivery, RejectedEntry } from "./inbound-event.ts";
import { issueReason } from "./issue-reason.ts";
import { MalformedDeliveryError } from "./malformed-delivery.ts";

/** An event as a channel's reader built it, with where in the entry it came from ("messaging[2]"). */
export interface LocatedEvent {
  at: string;
  event: UncheckedInboundEvent;
}

/** What a channel's reader may do with one entry of a Meta delivery. */
export interface MetaEntryContext {
  /** The entry as it arrived (kept for the audit trail of the account it belongs to). */
  rawEntry: unknown;
  /**
   * Adds events of one account, with the raw entry (or the part of it) that carried them. Each
   * event is checked (checkInboundEvent): one that cannot be stored is rejected, the others kept.
   */
  add(accountId: string, rawEntry: unknown, events: LocatedEvent[]): void;
  /** Names something in this entry that was skipped; the rest of the delivery is kept. */
  reject(reason: string): void;
}

/**
 * The envelope Instagram and WhatsApp share: `{ object, entry: [...] }`. A wrong envelope rejects the
 * delivery; a bad entry or event is named and skipped; each good entry goes to the channel's reader.
 * `receivedAt` is when the webhook arrived: the limit for a believable message time.
 */
export function parseMetaDelivery<Entry>(
  body: unknown,
  receivedAt: Date,
  options: {
    channel: CaptureChannel;
    object: string;
    entrySchema: z.ZodType<Entry>;
    readEntry(entry: Entry, context: MetaEntryContext): void;
  },
): ParsedDelivery {
  // Schemas name only the fields we read; everything else Meta adds is ignored, never an error.
  const delivery = z.object({ object: z.literal(options.object), entry: z.array(z.unknown()) }).safeParse(body);
  if (!delivery.success) throw new MalformedDeliveryError(issueReason("delivery", delivery.error));

  const groups = deliveryGroups();
  const rejected: RejectedEntry[] = [];
  delivery.data.entry.forEach((rawEntry, index) => {
    const reject = (reason: string) => void rejected.push({ index, reason });
    const entry = options.entrySchema.safeParse(rawEntry);
    if (!entry.success) return reject(issueReason("entry", entry.error));
    const add = (accountId: string, raw: unknown, located: LocatedEvent[]) => {
      // The account id names the audit row: without a usable one, nothing of this part is kept.
      const badAccount = idProblem("account id", accountId);
      if (badAccount) return reject(badAccount);
      const events: InboundEvent[] = [];
      for (const { at, event } of located) {
        const checked = checkInboundEvent(event, receivedAt);
        if (checked.ok) events.push(checked.event);
        else reject(`${at}: ${checked.reason}`);
      }
      groups.add(accountId, raw, events);
    };
    options.readEntry(entry.data, { rawEntry, add, reject });
  });
  return { channel: options.channel, groups: groups.list(), rejected };
}
