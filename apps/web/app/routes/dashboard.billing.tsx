import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { BillingHistory } from "../components/billing-history.tsx";
import { UpgradeOptions } from "../components/upgrade-options.tsx";
import { UsageBar } from "../components/usage-bar.tsx";
import { describePlan } from "../plan-label.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";
import type { loader as dashboardLoader } from "./dashboard.tsx";

export const meta: MetaFunction = () => [{ title: "Billing · Audnix AI" }];

export const headers = privatePageHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  return { billing: await caller.billing.overview() };
}

export default function Billing() {
  const { billing } = useLoaderData<typeof loader>();
  const layout = useRouteLoaderData<typeof dashboardLoader>("routes/dashboard");
  if (!layout) throw new Error("the dashboard layout's data is missing");

  return (
    <>
      <section className="card" aria-labelledby="plan-title">
        <h1 id="plan-title">Billing</h1>
        <p className="billing__plan">
          Current plan: <strong data-testid="current-plan">{describePlan(billing.plan, layout.me.trialDaysLeft)}</strong>
        </p>
        <UsageBar label="Leads used" used={billing.leadsUsed} limit={billing.leadLimit} unit="leads" />
        <UsageBar label="Voice minutes used" used={billing.voiceMinutesUsed} limit={billing.voiceMinuteLimit} unit="minutes" />
      </section>

      <section className="card" aria-labelledby="upgrade-title">
        <h2 id="upgrade-title">Plans</h2>
        {billing.plan === "trial" ? <p className="muted">The free trial has the Starter plan's limits.</p> : null}
        <UpgradeOptions options={billing.upgrades} currentPlan={billing.plan} />
      </section>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Billing history</h2>
        <BillingHistory items={billing.history} />
      </section>
    </>
  );
}
