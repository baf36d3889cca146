import { idProblem, isPlausibleSentAt } from "../capture/check-event.ts";
import type { PaymentEvent } from "./payment-event.ts";

// The last step of both payment parsers, as checkInboundEvent is for capture: every field that
// drives state or fills a typed column is checked before the billing transaction sees it. An event
// that fails is refused (kept as failed and answered 200), never stored with a guess: a wrong time
// would win "latest state wins" (0007) forever, and a repaired id would be a different event.

/** payment_events.amount_cents is a Postgres integer; a real charge is far below its maximum. */
export const MAX_AMOUNT_CENTS = 2_147_483_647;

const CURRENCY = /^[a-z]{3}$/;

export type PaymentEventCheck = { ok: true; event: PaymentEvent } | { ok: false; reason: string };

/**
 * The event when every id is usable (idProblem), its time lies between 2000-01-01 and a day after
 * `receivedAt`, its amount is whole cents from 0 to MAX_AMOUNT_CENTS and its currency a three-letter
 * code; otherwise the first problem, naming the field and never its value.
 */
export function checkPaymentEvent(event: PaymentEvent, receivedAt: Date): PaymentEventCheck {
  const reason =
    idProblem("eventId", event.eventId) ??
    idProblem("eventName", event.eventName) ??
    idProblem("objectId", event.objectId) ??
    (event.customerId === null ? null : idProblem("customerId", event.customerId)) ??
    (isPlausibleSentAt(event.occurredAt, receivedAt) ? null : "occurredAt: not between 2000-01-01 and a day after receipt") ??
    amountProblem(event.amountCents) ??
    (event.currency === null || (event.currency.length === 3 && CURRENCY.test(event.currency)) ? null : "currency: not a three-letter code");
  return reason === null ? { ok: true, event } : { ok: false, reason };
}

function amountProblem(amountCents: number | null): string | null {
  if (amountCents === null || (Number.isInteger(amountCents) && amountCents >= 0 && amountCents <= MAX_AMOUNT_CENTS)) return null;
  return `amountCents: not whole cents from 0 to ${MAX_AMOUNT_CENTS}`;
}
