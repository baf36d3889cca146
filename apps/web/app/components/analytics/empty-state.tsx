import { Link } from "@remix-run/react";

/** A new account: no figures to chart yet, and the two ways to get some. */
export function AnalyticsEmptyState() {
  return (
    <div className="empty-state" data-testid="analytics-empty">
      <p>No data yet: connect a channel or simulate a message.</p>
      <p>
        <Link to="/dashboard/connections">Connect a channel</Link> · <a href="#simulate-title">Simulate a message</a>
      </p>
    </div>
  );
}
