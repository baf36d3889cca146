import { formatAmount } from "../billing/format-amount.ts";
import { paymentEventLabel } from "../billing/payment-event-labels.ts";
import { LocalTime } from "./local-time.tsx";

export interface PaymentHistoryItem {
  id: string;
  eventName: string;
  amountCents: number | null;
  currency: string | null;
  occurredAt: Date;
}

export function BillingHistory({ items }: { items: PaymentHistoryItem[] }) {
  if (items.length === 0) {
    return (
      <p className="empty-state" data-testid="billing-history-empty">
        No payments yet. Purchases and renewals show up here.
      </p>
    );
  }
  return (
    <table className="history">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Event</th>
          <th scope="col" className="history__amount">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id}>
            <td>
              <LocalTime date={item.occurredAt} />
            </td>
            <td>{paymentEventLabel(item.eventName)}</td>
            <td className="history__amount">{formatAmount(item.amountCents, item.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
