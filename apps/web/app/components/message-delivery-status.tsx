import type { RouterOutputs } from "@audnix/api/client";
import type { ReactNode } from "react";
import { LocalTime } from "./local-time.tsx";

type TimelineMessage = RouterOutputs["leads"]["byId"]["messages"][number];

/**
 * What became of an outbound message, as the vendor last told us (docs/decisions/0014, 0026):
 * being sent, sent, delivered, read (and when), refused, or unconfirmed (the vendor may have
 * delivered it; it is never sent again on its own). Inbound messages and echoes of the business
 * app have no status and show nothing.
 */
export function MessageDeliveryStatus({ message }: { message: Pick<TimelineMessage, "deliveryStatus" | "deliveryStatusAt" | "failureReason"> }) {
  const reason = message.failureReason ? `: ${message.failureReason}` : "";
  switch (message.deliveryStatus) {
    case "pending":
      return <Note>Sending…</Note>;
    case "sent":
      return <Note>Sent</Note>;
    case "delivered":
      return <Note>Delivered</Note>;
    case "read":
      return (
        <Note>
          Read{message.deliveryStatusAt ? <> <LocalTime date={message.deliveryStatusAt} /></> : null}
        </Note>
      );
    case "failed":
      return <Note problem>Not delivered{reason}</Note>;
    case "unconfirmed":
      return <Note problem>Delivery unconfirmed{reason}</Note>;
    default:
      return null;
  }
}

function Note({ children, problem = false }: { children: ReactNode; problem?: boolean }) {
  return (
    <span className={problem ? "bubble__delivery bubble__delivery--problem" : "bubble__delivery muted"} data-testid="delivery-status">
      {children}
    </span>
  );
}
