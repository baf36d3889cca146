import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Sends the browser's time zone once, so an owner who never opened the settings gets quiet hours
 * on their own clock instead of UTC. Rendered by the dashboard layout only while the settings were
 * never saved; the server checks that again and validates the zone. Renders nothing.
 */
export function AdoptBrowserTimeZone() {
  const fetcher = useFetcher();
  const sent = useRef(false);
  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    const { timeZone } = Intl.DateTimeFormat().resolvedOptions();
    if (timeZone) void fetcher.submit({ timeZone }, { method: "post", action: "/dashboard/time-zone" });
  }, [fetcher]);
  return null;
}
