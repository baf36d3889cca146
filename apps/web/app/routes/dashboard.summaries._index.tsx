import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { LocalTime } from "../components/local-time.tsx";
import { SummaryStatus } from "../components/summary-status.tsx";
import { useRefreshWhile } from "../components/use-refresh-while.ts";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { summaryAction, type SummaryActionResult } from "../summaries/summary-actions.server.ts";
import { nextWeeklySummary, summaryForPage } from "../summaries/summary-text.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const meta: MetaFunction = () => [{ title: "Summaries · Audnix AI" }];

export const headers = privatePageHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const list = await caller.summaries.list();
  return {
    summaries: list.summaries.map(summaryForPage),
    weeklySummaryEnabled: list.weeklySummaryEnabled,
    email: list.email,
    next: nextWeeklySummary(new Date(), list.timeZone),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  return summaryAction(await requireUserId(request), await request.formData());
}

export const clientAction = keepInputWhenUnreachable<SummaryActionResult>(() => ({ ok: false, error: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function SummariesPage() {
  const { summaries, weeklySummaryEnabled, email, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : null;
  useRefreshWhile(summaries.some((summary) => summary.status === "pending" || summary.status === "sending"));

  return (
    <>
      <section className="card" aria-labelledby="summaries-title">
        <h1 id="summaries-title">Summaries</h1>
        <p className="muted">
          Every Monday at 08:00 ({next.timeZone}) a summary of the week before: the dashboard's numbers, the questions leads asked most, the leads who need you, the follow-up step leads answer most, and what changed since the week before{email ? <>, emailed to {email}</> : null}.
        </p>
        <Form method="post" className="summary-actions">
          <input type="hidden" name="intent" value="send-now" />
          <button type="submit" className="button button--primary" disabled={busy === "send-now"}>
            {busy === "send-now" ? "Sending…" : "Send me this week's summary now"}
          </button>
          <p className="muted">This week so far, from Monday. Your Monday summary still comes.</p>
        </Form>
        <Form method="post" className="summary-actions">
          <input type="hidden" name="intent" value="weekly" />
          <label className="field field--checkbox">
            <input type="checkbox" name="weeklyEmail" defaultChecked={weeklySummaryEnabled} /> Email me a summary every Monday at 08:00
          </label>
          <button type="submit" className="button" disabled={busy === "weekly"}>
            {busy === "weekly" ? "Saving…" : "Save"}
          </button>
        </Form>
        {result ? (
          <p role={result.ok ? "status" : "alert"} className={result.ok ? "banner" : "field-error"}>
            {result.ok ? result.message : result.error}
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="summary-list-title">
        <h2 id="summary-list-title">Your summaries</h2>
        {summaries.length === 0 ? (
          <div className="empty-state">
            <p>No summaries yet.</p>
            <p className="muted">
              {weeklySummaryEnabled ? (
                <>
                  The first weekly summary arrives on <LocalTime date={new Date(next.sendAt)} /> and covers the week from {next.weekStart}.
                </>
              ) : (
                "Weekly summaries are off."
              )}{" "}
              Or send yourself this week's so far now.
            </p>
          </div>
        ) : (
          <ul className="summary-list">
            {summaries.map((summary) => (
              <li key={summary.id} className="summary-list__item">
                <Link to={`/dashboard/summaries/${summary.id}`}>{summary.title}</Link>
                <span className="muted">
                  <SummaryStatus summary={summary} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
