import { z } from "zod";
import { MalformedPaymentEventError } from "./malformed-payment-event.ts";
import type { PaymentEvent } from "./payment-event.ts";
import { type PaidPlan, paidPlanOrNull, userIdOrNull } from "./payment-event-fields.ts";

// Lemon Squeezy webhook bodies are JSON:API documents: meta names the event and echoes the custom
// checkout data (our user id and plan), data is the order, subscription or subscription invoice.

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not a timestamp");

const bodySchema = z.object({
  meta: z.object({
    event_name: z.string().min(1),
    // Custom data is whatever the checkout link carried; its fields are checked one by one below.
    custom_data: z.record(z.string(), z.unknown()).nullish(),
  }),
  data: z.object({
    type: z.enum(["orders", "subscriptions", "subscription-invoices"]),
    id: z.string().min(1),
    attributes: z.object({
      customer_id: z.number().int(),
      status: z.string(),
      // Any number: its range is checkPaymentEvent's, so an impossible total is refused, not malformed.
      total: z.number().nullish(),
      currency: z.string().nullish(),
      created_at: timestamp,
      updated_at: timestamp,
      ends_at: timestamp.nullish(),
    }),
  }),
});

type LemonSqueezyBody = z.infer<typeof bodySchema>;

// Events that describe a subscription (or its invoice) in good standing.
const PLAN_GRANTING_EVENTS = new Set([
  "subscription_created",
  "subscription_updated",
  "subscription_resumed",
  "subscription_unpaused",
  "subscription_payment_success",
  "subscription_payment_recovered",
]);
// Subscriptions are "active"/"on_trial" when in good standing; the payment events carry the
// subscription invoice instead, which is "paid".
const GOOD_STANDING = new Set(["active", "on_trial", "paid"]);
const LAPSED = new Set(["unpaid", "expired", "paused"]);

/**
 * Turns a verified Lemon Squeezy webhook into a PaymentEvent. Unknown events are returned with
 * planState null so they are still stored for history; a body of the wrong shape throws.
 */
export function parseLemonSqueezyEvent(body: unknown, eventNameHeader: string | null): PaymentEvent {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw new MalformedPaymentEventError(`Lemon Squeezy webhook: ${z.prettifyError(parsed.error)}`);
  const { meta, data } = parsed.data;
  // The body is signed and the header is not: they must agree, or something rewrote the request.
  if (eventNameHeader !== null && eventNameHeader !== meta.event_name) {
    throw new MalformedPaymentEventError(`Lemon Squeezy webhook: X-Event-Name ${eventNameHeader} does not match ${meta.event_name}`);
  }
  const { attributes } = data;
  // Subscriptions carry no amount; orders and subscription invoices do, in cents.
  const hasAmount = data.type !== "subscriptions";
  return {
    provider: "lemonsqueezy",
    // Lemon Squeezy sends no delivery id: the same state of the same object is the same event.
    eventId: `${meta.event_name}:${data.id}:${attributes.updated_at}`,
    eventName: meta.event_name,
    occurredAt: new Date(attributes.updated_at),
    userId: userIdOrNull(meta.custom_data?.user_id),
    customerId: String(attributes.customer_id),
    objectId: data.id,
    planState: planState(parsed.data, paidPlanOrNull(meta.custom_data?.plan)),
    amountCents: hasAmount ? (attributes.total ?? null) : null,
    currency: hasAmount && attributes.currency ? attributes.currency.toLowerCase() : null,
  };
}

function planState({ meta, data }: LemonSqueezyBody, plan: PaidPlan | null): PaymentEvent["planState"] {
  const { status, ends_at, updated_at } = data.attributes;
  switch (meta.event_name) {
    case "order_created":
      return status === "paid" ? plan : null;
    case "subscription_expired":
    case "subscription_paused":
      return "expired";
    case "subscription_cancelled":
      // A cancelled subscription stays paid until ends_at; subscription_expired arrives then.
      return ends_at == null || Date.parse(ends_at) <= Date.parse(updated_at) ? "expired" : null;
    default:
      if (!PLAN_GRANTING_EVENTS.has(meta.event_name)) return null;
      if (GOOD_STANDING.has(status)) return plan;
      return LAPSED.has(status) ? "expired" : null;
  }
}
