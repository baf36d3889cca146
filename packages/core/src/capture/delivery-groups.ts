import type { DeliveryGroup, InboundEvent } from "./inbound-event.ts";
import { storableJson } from "../text/storable-text.ts";

export interface DeliveryGroups {
  /** Adds one raw entry of an account (made storable: see storableJson) with the events parsed from it. */
  add(accountId: string, rawEntry: unknown, events: InboundEvent[]): void;
  /** Groups in the order their accounts first appeared in the delivery. */
  list(): DeliveryGroup[];
}

// A batch can mix businesses; each group keeps only its own entries so one tenant's audit trail
// never holds another tenant's messages.
export function deliveryGroups(): DeliveryGroups {
  const groups = new Map<string, DeliveryGroup>();
  return {
    add(accountId, rawEntry, events) {
      let group = groups.get(accountId);
      if (!group) {
        group = { accountId, rawEntries: [], events: [] };
        groups.set(accountId, group);
      }
      group.rawEntries.push(storableJson(rawEntry));
      group.events.push(...events);
    },
    list: () => [...groups.values()],
  };
}
