import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { CAPTURE_CHANNELS } from "@audnix/core";
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
    const [emailAlert, analytics, connections] = await Promise.all([
      caller.needsYou.emailAlert(),
      loadDashboardAnalytics(caller, params),
      caller.connections.list(),
    ]);
    // Only a connection to this `pnpm dev` run's local fake can be simulated; an earlier run's is named as stale.
    const simulate = {
      channels: connections.filter((c) => c.status === "connected" && c.sandbox === "current").map((c) => c.channel),
      staleChannels: connections.filter((c) => c.sandbox === "stale").map((c) => c.channel),
    };
    return { filters, leads: page.items, nextCursor: page.nextCursor, emailAlert: emailAlert.enabled, analytics, simulate };
  } catch (error) {
    // Only a cursor we did not issue (an edited URL) can be invalid here.
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") throw data("That page of leads does not exist.", { status: 400 });
    throw error;
  }
}

const simulateFormSchema = z.object({
  name: z.string().catch(""),
  text: z.string().catch(""),
  // The select offers only these; anything else (a hand-edited form) falls back to the sandbox,
  // which every owner may simulate. The procedure refuses a channel not connected to this run's fake.
  channel: z.enum(CAPTURE_CHANNELS).catch("sandbox"),
});

type SimulateResult =
  | { ok: true; leadId: string; name: string }
  | { ok: false; errors: { name: string[]; text: string[] }; formError: string | null };

/** The "Simulate a message" form: a made-up message through the same capture as real webhooks. */
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
    // A channel that is not connected to this run's local fake (a stale or real connection).
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") {
      return data<SimulateResult>({ ok: false, errors: { name: [], text: [] }, formError: error.message }, { status: 400 });
    }
    const refusal = rateLimitRefusal(error);
    if (refusal) return data<SimulateResult>({ ok: false, errors: { name: [], text: [] }, formError: refusal.message }, refusal.init);
    throw error;
  }
}

export const clientAction = keepInputWhenUnreachable<SimulateResult>(() => ({ ok: false, errors: { name: [], text: [] }, formError: UNREACHABLE_MESSAGE }));

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export default function DashboardHome() {
  const { filters, leads, nextCursor, emailAlert, analytics, simulate } = useLoaderData<typeof loader>();
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

      <SimulateMessageForm channels={simulate.channels} staleChannels={simulate.staleChannels} />
    </>
  );
}
