import { LocalTime } from "./local-time.tsx";

/** "Emailed 2 Dec, 08:01" and the like: where a summary stands, with the send time once it went. */
export function SummaryStatus({ summary }: { summary: { statusText: string; status: string; sentAt: string | Date | null } }) {
  return (
    <>
      {summary.statusText}
      {summary.status === "sent" && summary.sentAt ? (
        <>
          {" "}
          <LocalTime date={new Date(summary.sentAt)} />
        </>
      ) : null}
    </>
  );
}
