import type { LiveStatus } from "../live/use-live-updates.ts";

const labels: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

/** Tells the owner whether the page is updating by itself or may be out of date. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span className={`live-indicator live-indicator--${status}`} role="status" data-testid="live-status">
      <span className="live-indicator__dot" aria-hidden="true" />
      {labels[status]}
    </span>
  );
}
