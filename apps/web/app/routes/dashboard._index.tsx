import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { loadDashboardAnalytics } from "../analytics/load-dashboard-analytics.server.ts";
import { AnalyticsCharts } from "../components/analytics/charts.tsx";
import { AnalyticsEmptyState } from "../components/analytics/empty-state.tsx";
import { AnalyticsRangePicker } from "../components/analytics/range-picker.tsx";
import { AnalyticsTiles } from "../components/analytics/tiles.tsx";
import { LeadFiltersForm } from "../components/lead-filters-form.tsx";
import { LeadList } from "../components/lead-list.tsx";
import { NeedsYouAlerts } from "../components/needs-you-alerts.tsx";
import { keepInputWhenUnreachable, skipRevalidationWhenUnreachable, UNREACHABLE_MESSAGE } from "../forms/keep-input-when-unreachable.ts";
import { SimulateMessageForm } from "../components/simulate-message-form.tsx";
import { readLeadFilters } from "../leads/read-lead-filters.server.ts";
import { useLiveRevalidation } from "../live/use-live-updates.ts";
import { describePlan } from "../plan-label.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { rateLimitRefusal } from "../rate-limit.server.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";
import type { loader as dashboardLoader } from "./dashboard.tsx";

export const headers = privatePageHeaders;

const PAGE_SIZE = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const params = new URL(request.url).searchParams;
  const filters = readLeadFilters(params);
  // "Load more" asks for the page after `cursor`; the first page has none.
  const cursor = params.get("cursor") ?? undefined;
  try {
    const page = await caller.leads.list({
      limit: PAGE_SIZE,
      cursor,
      search: filters.search,
      channel: filters.channel ?? undefined,
      status: filters.status ?? undefined,
      needsYou: filters.needsYou || undefined,
      activity: filters.activity ?? undefined,
    });
    const [emailAlert, analytics] = await Promise.all([caller.needsYou.emailAlert(), loadDashboardAnalytics(caller, params)]);
    return { filters, leads: page.items, nextCursor: page.nextCursor, emailAlert: emailAlert.enabled, analytics };
  } catch (error) {
    // Only a cursor we did not issue (an edited URL) can be invalid here.
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") throw data("That page of leads does not exist.", { status: 400 });
    throw error;
  }
}

const simulateFormSchema = z.object({ name: z.string().catch(""), text: z.string().catch("") });

type SimulateResult =
  | { ok: true; leadId: string; name: string }
  | { ok: false; errors: { name: string[]; text: string[] }; formError: string | null };

/** The "Simulate a message" form: a sandbox message through the same capture as real webhooks. */
export async function action({ request }: ActionFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const input = simulateFormSchema.parse(Object.fromEntries(await request.formData()));
  try {
    const { leadId } = await caller.sandbox.simulateInbound(input);
    return data<SimulateResult>({ ok: true, leadId, name: input.name.trim() });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError) {
      const { issues } = error.cause;
      const messagesFor = (field: string) => issues.filter((issue) => issue.path[0] === field).map((issue) => issue.message);
      return data<SimulateResult>({ ok: false, errors: { name: messagesFor("name"), text: messagesFor("text") }, formError: null }, { status: 400 });
    }
    const refusal = rateLimitRefusal(error);
    if (refusal) return data<SimulateResult>({ ok: false, errors: { name: [], text: [] }, formError: refusal.message }, refusal.init);
    throw error;
  }
}

export const clientAction = keepInputWhenUnreachable<SimulateResult>(() => ({ ok: false, errors: { name: [], text: [] }, formError: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function DashboardHome() {
  const { filters, leads, nextCursor, emailAlert, analytics } = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof dashboardLoader>("routes/dashboard");
  if (!layout) throw new Error("the dashboard layout's data is missing");
  const { me } = layout;
  useLiveRevalidation();

  return (
    <>
      <section aria-labelledby="welcome-title">
        <h1 id="welcome-title">Welcome{me.name ? `, ${me.name}` : ""}</h1>
        <p className="muted" data-testid="account-email">
          {me.email}
        </p>
      </section>

      <dl className="stats">
        <div className="stat">
          <dt>Plan</dt>
          <dd>{describePlan(me.plan, me.trialDaysLeft)}</dd>
        </div>
        <div className="stat">
          <dt>Leads used</dt>
          <dd data-testid="leads-used">
            {me.leadsUsed} <span className="stat__of">of {me.leadsLimit}</span>
          </dd>
        </div>
      </dl>

      <section className="card analytics" aria-labelledby="analytics-title">
        <h2 id="analytics-title">Your numbers</h2>
        <AnalyticsRangePicker range={analytics.range} period={analytics.overview.period} problem={analytics.rangeProblem} />
        {analytics.overview.hasData ? (
          <>
            <AnalyticsTiles overview={analytics.overview} range={analytics.range} />
            <AnalyticsCharts series={analytics.series} />
          </>
        ) : (
          <AnalyticsEmptyState />
        )}
      </section>

      <section className="card" aria-labelledby="leads-title">
        <h2 id="leads-title">Leads</h2>
        <NeedsYouAlerts emailEnabled={emailAlert} />
        <LeadFiltersForm filters={filters} />
        <LeadList filters={filters} leads={leads} nextCursor={nextCursor} />
      </section>

      <SimulateMessageForm />
    </>
  );
}
