// What became of a message the business sent, as one typed value (docs/decisions/0014), and the
// one rule for how vendor reports move it (docs/decisions/0026). The capture SQL gets
// DELIVERY_STATUS_RANK as a parameter and compares ranks; it holds no copy of the order.

export const DELIVERY_STATUSES = ["pending", "sent", "delivered", "read", "failed", "unconfirmed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a vendor can report about a message after we sent it (WhatsApp statuses, Instagram reads). */
export const REPORTED_DELIVERY_STATUSES = ["sent", "delivered", "read", "failed"] as const;
export type ReportedDeliveryStatus = (typeof REPORTED_DELIVERY_STATUSES)[number];

/**
 * How far along each status is; a report moves a message only to a higher rank, so reports that
 * arrive late or twice (Meta retries and does not keep order) never move it back.
 * - pending and unconfirmed: we do not know what the vendor did; any report settles it.
 * - failed after sent: WhatsApp reports a refusal after accepting the message ("sent", then
 *   "failed" with 131026/131047...). A late "sent" after "failed" is the older news.
 * - delivered and read above failed: a phone that got the message outranks a failure report,
 *   which can arrive from one of the lead's devices while another received it.
 * - read is final: a "delivered" after "read" changes nothing.
 */
export const DELIVERY_STATUS_RANK: Readonly<Record<DeliveryStatus, number>> = {
  pending: 0,
  unconfirmed: 0,
  sent: 1,
  failed: 2,
  delivered: 3,
  read: 4,
};

/** The status a message in `current` has after the vendor reports `reported`. */
export function nextDeliveryStatus(current: DeliveryStatus, reported: ReportedDeliveryStatus): DeliveryStatus {
  return DELIVERY_STATUS_RANK[reported] > DELIVERY_STATUS_RANK[current] ? reported : current;
}
