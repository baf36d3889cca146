import type { PlanName } from "./plans.ts";

// What a verified Stripe or Lemon Squeezy webhook says, in one shape. The parsers (one per
// provider) produce it; the billing transaction stores it once and lets the plan follow the latest
// state (by occurredAt), not the latest arrival.

export type PaymentProvider = "stripe" | "lemonsqueezy";

export interface PaymentEvent {
  provider: PaymentProvider;
  /** Stripe: the event id. Lemon Squeezy (no delivery id): `${eventName}:${objectId}:${updated_at}`. */
  eventId: string;
  eventName: string;
  /** When the state this event describes came to be (Stripe: event.created; Lemon Squeezy: updated_at). */
  occurredAt: Date;
  /** Our user id when the event carries it (Stripe checkout client_reference_id, Lemon Squeezy custom data). */
  userId: string | null;
  /** The provider's customer id: later events (subscriptions, invoices) are matched to the user through it. */
  customerId: string | null;
  /** The subscription, order, invoice or checkout session the event is about. */
  objectId: string;
  /**
   * The plan this event says the account is on now: a paid plan, "expired" (cancelled, ended,
   * unpaid), or null when the event states no plan (invoices, payment failures, unknown prices).
   */
  planState: Exclude<PlanName, "trial"> | null;
  amountCents: number | null;
  /** ISO 4217, lower case. */
  currency: string | null;
}
