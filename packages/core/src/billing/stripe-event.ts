import { z } from "zod";
import { MalformedPaymentEventError } from "./malformed-payment-event.ts";
import type { PaymentEvent } from "./payment-event.ts";
import { type PaidPlan, paidPlanOrNull, userIdOrNull } from "./payment-event-fields.ts";

// The parts of a Stripe event we read, checked structurally so core needs no SDK. Objects are
// loose: Stripe adds fields with every API version. Times and amounts are only required to be
// numbers here: their ranges are checkPaymentEvent's, so an impossible one is refused, not malformed.

const stripeEventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  /** Unix seconds. */
  created: z.number(),
  data: z.object({ object: z.looseObject({ id: z.string().min(1).optional() }) }),
});

/**
 * The minimal shape of a Stripe event, so the SDK's Event (whose objects are interfaces without an
 * index signature) and a plain JSON.parse result both fit; the contents are checked with zod.
 */
export interface StripeEventLike {
  id: string;
  type: string;
  created: number;
  data: { object: object };
}

const customer = z.string().nullish();
const currency = z.string().nullish();

const checkoutSessionSchema = z.looseObject({
  id: z.string().min(1),
  client_reference_id: z.string().nullish(),
  customer,
  amount_total: z.number().nullish(),
  currency,
  payment_status: z.string(),
});

const priceSchema = z.looseObject({
  lookup_key: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

const subscriptionSchema = z.looseObject({
  id: z.string().min(1),
  customer: z.string().min(1),
  status: z.string(),
  items: z.looseObject({ data: z.array(z.looseObject({ price: priceSchema })) }),
});

const invoiceSchema = z.looseObject({
  id: z.string().min(1),
  customer,
  amount_paid: z.number(),
  amount_due: z.number(),
  currency,
});

// Fields each event fills from its object; the envelope (ids, times) is shared.
type ObjectFields = Pick<PaymentEvent, "userId" | "customerId" | "objectId" | "planState" | "amountCents" | "currency">;

/** Turns a verified Stripe event into a PaymentEvent; unhandled types keep planState null (history). */
export function paymentEventFromStripe(event: StripeEventLike): PaymentEvent {
  const envelope = parseOrThrow(stripeEventSchema, event, "event");
  return {
    provider: "stripe",
    eventId: envelope.id,
    eventName: envelope.type,
    occurredAt: new Date(envelope.created * 1000),
    ...objectFields(envelope.type, envelope.data.object, envelope.id),
  };
}

function objectFields(type: string, object: Record<string, unknown>, eventId: string): ObjectFields {
  switch (type) {
    case "checkout.session.completed":
      return checkoutSessionFields(parseOrThrow(checkoutSessionSchema, object, type));
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return subscriptionFields(type, parseOrThrow(subscriptionSchema, object, type));
    case "invoice.paid":
    case "invoice.payment_failed": {
      const invoice = parseOrThrow(invoiceSchema, object, type);
      return {
        ...none(invoice.id),
        customerId: invoice.customer ?? null,
        amountCents: type === "invoice.paid" ? invoice.amount_paid : invoice.amount_due,
        currency: lowerOrNull(invoice.currency),
      };
    }
    default:
      // Every Stripe object has an id, but a stored history row must not depend on that.
      return none(typeof object.id === "string" ? object.id : eventId);
  }
}

function checkoutSessionFields(session: z.infer<typeof checkoutSessionSchema>): ObjectFields {
  const reference = parseClientReference(session.client_reference_id);
  const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
  return {
    userId: reference.userId,
    customerId: session.customer ?? null,
    objectId: session.id,
    planState: paid ? reference.plan : null,
    amountCents: session.amount_total ?? null,
    currency: lowerOrNull(session.currency),
  };
}

function subscriptionFields(type: string, subscription: z.infer<typeof subscriptionSchema>): ObjectFields {
  return { ...none(subscription.id), customerId: subscription.customer, planState: subscriptionPlanState(type, subscription) };
}

function subscriptionPlanState(type: string, subscription: z.infer<typeof subscriptionSchema>): PaymentEvent["planState"] {
  if (type === "customer.subscription.deleted") return "expired";
  switch (subscription.status) {
    case "active":
    case "trialing": {
      const price = subscription.items.data[0]?.price;
      return paidPlanOrNull(price?.lookup_key) ?? paidPlanOrNull(price?.metadata?.plan);
    }
    case "canceled":
    case "unpaid":
    case "incomplete_expired":
      return "expired";
    default:
      // incomplete, past_due, paused: Stripe is still collecting; the plan does not change yet.
      return null;
  }
}

/**
 * The dashboard appends `<userId>_<plan>` to the payment link as client_reference_id (Stripe
 * allows letters, digits, `-` and `_`; uuids contain no `_`). A bare `<userId>` names no plan.
 */
function parseClientReference(reference: string | null | undefined): { userId: string | null; plan: PaidPlan | null } {
  if (!reference) return { userId: null, plan: null };
  const separator = reference.lastIndexOf("_");
  if (separator === -1) return { userId: userIdOrNull(reference), plan: null };
  return { userId: userIdOrNull(reference.slice(0, separator)), plan: paidPlanOrNull(reference.slice(separator + 1)) };
}

function none(objectId: string): ObjectFields {
  return { userId: null, customerId: null, objectId, planState: null, amountCents: null, currency: null };
}

function lowerOrNull(value: string | null | undefined): string | null {
  return value ? value.toLowerCase() : null;
}

function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new MalformedPaymentEventError(`Stripe ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
