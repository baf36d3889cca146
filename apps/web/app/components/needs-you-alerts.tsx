import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { useNeedsYouNotifyState } from "../live/needs-you-notifications.ts";
import type { action as emailAlertAction } from "../routes/dashboard.needs-you-email.ts";

/**
 * How the owner hears about leads that need them: a notification in this browser (asked for
 * only on the button's click, remembered in this browser) and, optionally, an email.
 */
export function NeedsYouAlerts({ emailEnabled }: { emailEnabled: boolean }) {
  return (
    <div className="needs-you-alerts" data-testid="needs-you-alerts">
      <BrowserNotifications />
      <EmailAlert enabled={emailEnabled} />
    </div>
  );
}

function BrowserNotifications() {
  const { state, enable, disable } = useNeedsYouNotifyState();
  const [asking, setAsking] = useState(false);
  switch (state) {
    case "unsupported":
      return <p className="muted">This browser cannot show notifications.</p>;
    case "denied":
      return <p className="muted">Notifications are blocked for this site in your browser's settings.</p>;
    case "on":
      return (
        <p className="muted" role="status">
          This browser notifies you when a lead needs you.{" "}
          <button type="button" className="button button--ghost" onClick={disable}>
            Stop notifying me
          </button>
        </p>
      );
    case "off":
      return (
        <button
          type="button"
          className="button button--ghost"
          disabled={asking}
          aria-busy={asking}
          onClick={() => {
            setAsking(true);
            void enable().finally(() => setAsking(false));
          }}
        >
          Notify me in this browser
        </button>
      );
  }
}

function EmailAlert({ enabled }: { enabled: boolean }) {
  const fetcher = useFetcher<typeof emailAlertAction>();
  // While saving, show the choice being saved.
  const pending = fetcher.formData?.get("enabled");
  const checked = pending ? pending === "on" : enabled;
  const failed = fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return (
    <fetcher.Form method="post" action="/dashboard/needs-you-email" className="field field--checkbox">
      <input type="hidden" name="enabled" value={checked ? "off" : "on"} />
      <input
        id="needs-you-email"
        type="checkbox"
        checked={checked}
        onChange={(event) => fetcher.submit(event.currentTarget.form)}
        aria-describedby={failed ? "needs-you-email-error" : undefined}
      />
      <label htmlFor="needs-you-email">Email me when a lead needs me (at most one email every 5 minutes)</label>
      {failed ? (
        <p id="needs-you-email-error" className="field-error">
          {failed}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
