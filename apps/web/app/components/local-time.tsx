import { useEffect, useState } from "react";

const utcFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * A moment in the viewer's own time zone. The server does not know that zone, so the first render
 * (server and hydration alike) shows UTC, and the browser switches to local time once mounted;
 * rendering local time on the server would not match the browser and break hydration.
 */
export function LocalTime({ date }: { date: Date }) {
  const [local, setLocal] = useState(false);
  useEffect(() => setLocal(true), []);
  const text = local
    ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
    : `${utcFormat.format(date)} UTC`;
  return <time dateTime={date.toISOString()}>{text}</time>;
}
