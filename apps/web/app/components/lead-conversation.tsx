import type { RouterOutputs } from "@audnix/api/client";
import { useFetcher } from "@remix-run/react";
import type { ReplyActionResult } from "../leads/reply-actions.server.ts";
import { CHANNEL_NAMES } from "../leads/lead-labels.ts";
import { LocalTime } from "./local-time.tsx";
import { MessageDeliveryStatus } from "./message-delivery-status.tsx";

type TimelineMessage = RouterOutputs["leads"]["byId"]["messages"][number];

/** The lead page's conversation: who wrote each message, what became of ours, and Retry where a send went wrong. */
export function LeadConversation({ messages, leadName }: { messages: TimelineMessage[]; leadName: string }) {
  if (messages.length === 0) return <p className="empty-state">No messages in this conversation yet.</p>;
  return (
    <ol className="timeline" aria-label="Conversation">
      {messages.map((message) => (
        <Message key={message.id} message={message} leadName={leadName} />
      ))}
    </ol>
  );
}

/** "AI", "You" (the reply box), the lead's name, or the owner in the platform's own app (an echo). */
export function authorLabel(message: Pick<TimelineMessage, "author" | "channel">, leadName: string): string {
  switch (message.author) {
    case "lead":
      return leadName;
    case "ai":
      return "AI";
    case "owner":
      return "You";
    case "business_app":
      return `You · sent from the ${CHANNEL_NAMES[message.channel]} app`;
  }
}

function Message({ message, leadName }: { message: TimelineMessage; leadName: string }) {
  return (
    <li className={`bubble bubble--${message.direction}`} data-testid="timeline-message">
      <span className="bubble__author">{authorLabel(message, leadName)}</span>
      {message.body ? <p className="bubble__text">{message.body}</p> : null}
      {message.attachments.length > 0 ? (
        <ul className="bubble__attachments" aria-label="Attachments">
          {message.attachments.map((attachment, index) => (
            <li key={index}>
              {/* Only web links: a stored javascript: or data: URL must never become clickable. */}
              {attachment.url?.startsWith("https://") ? (
                <a href={attachment.url} target="_blank" rel="noreferrer noopener">
                  {attachment.fileName ?? `${attachment.type} attachment`}
                </a>
              ) : (
                (attachment.fileName ?? `${attachment.type} attachment`)
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <span className="bubble__time muted">
        <LocalTime date={message.sentAt} /> · {CHANNEL_NAMES[message.channel]}
      </span>
      <MessageDeliveryStatus message={message} />
      <RetrySend message={message} />
    </li>
  );
}

/**
 * A failed or unconfirmed message (the AI's or the owner's) can be sent again, once, by the owner's
 * choice: never on its own. An unconfirmed one may already have arrived, so that retry asks first.
 */
function RetrySend({ message }: { message: TimelineMessage }) {
  const fetcher = useFetcher<ReplyActionResult>();
  const retryable =
    (message.deliveryStatus === "failed" || message.deliveryStatus === "unconfirmed") && (message.author === "ai" || message.author === "owner");
  if (!retryable) return null;
  if (message.retriedAt) return <span className="bubble__delivery muted">Sent again <LocalTime date={message.retriedAt} /></span>;
  const busy = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const form = (label: string) => (
    <fetcher.Form method="post" className="bubble__retry">
      <input type="hidden" name="intent" value="retry-send" />
      <input type="hidden" name="messageId" value={message.id} />
      <button type="submit" className="button button--small" disabled={busy} aria-busy={busy}>
        {busy ? "Sending again…" : label}
      </button>
      {result && !result.ok ? (
        <p role="alert" className="field-error">
          {result.error}
        </p>
      ) : null}
    </fetcher.Form>
  );
  if (message.deliveryStatus === "failed") return form("Retry");
  return (
    <details className="bubble__retry-confirm">
      <summary className="button button--small">Retry…</summary>
      <p>It may already have arrived: sending it again could give the lead the same message twice.</p>
      {form("Send it again")}
    </details>
  );
}
