// What the billing history calls each provider event; an event not listed shows its own name.
const labels: Record<string, string> = {
  "checkout.session.completed": "Plan purchased",
  "customer.subscription.created": "Subscription started",
  "customer.subscription.updated": "Subscription updated",
  "customer.subscription.deleted": "Subscription ended",
  "invoice.paid": "Payment received",
  "invoice.payment_failed": "Payment failed",
  order_created: "Plan purchased",
  order_refunded: "Order refunded",
  subscription_created: "Subscription started",
  subscription_updated: "Subscription updated",
  subscription_cancelled: "Subscription cancelled",
  subscription_resumed: "Subscription resumed",
  subscription_expired: "Subscription ended",
  subscription_paused: "Subscription paused",
  subscription_unpaused: "Subscription resumed",
  subscription_payment_success: "Payment received",
  subscription_payment_failed: "Payment failed",
  subscription_payment_recovered: "Payment recovered",
};

export function paymentEventLabel(eventName: string): string {
  return labels[eventName] ?? eventName;
}
