import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { describePlan } from "../plan-label.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";
import { SiteHeader } from "../components/site-header.tsx";

export const meta: MetaFunction = () => [{ title: "Dashboard · Audnix AI" }];

// Account data must not be kept by shared caches, nor shown again from history after signing out.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

const RECENT_LEADS = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const [me, leads] = await Promise.all([caller.viewer.me(), caller.leads.list({ limit: RECENT_LEADS })]);
  return { me, leads: leads.items };
}

const channelNames = { instagram: "Instagram", whatsapp: "WhatsApp", email: "Email", sandbox: "Sandbox" } as const;

const statusNames = {
  new: "New",
  contacted: "Contacted",
  replied: "Replied",
  converted: "Converted",
  opted_out: "Opted out",
  lost: "Lost",
} as const;

export default function Dashboard() {
  const { me, leads } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const signingOut = navigation.state !== "idle" && navigation.formAction === "/logout";

  return (
    <div className="page">
      <SiteHeader>
        <Form method="post" action="/logout">
          <button type="submit" className="button button--ghost" disabled={signingOut}>
            {signingOut ? "Signing out…" : "Sign out"}
          </button>
        </Form>
      </SiteHeader>

      <main className="dashboard">
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
            <dd>{me.leadsUsed}</dd>
          </div>
        </dl>

        <section className="card" aria-labelledby="leads-title">
          <h2 id="leads-title">Leads</h2>
          {leads.length === 0 ? (
            <p className="empty-state">No leads yet: connect Instagram, WhatsApp or email to start capturing leads</p>
          ) : (
            <ul className="lead-list">
              {leads.map((lead) => (
                <li key={lead.id} className="lead">
                  <span className="lead__name">{lead.name ?? "Unnamed lead"}</span>
                  <span className="muted">
                    {channelNames[lead.channel]} · {statusNames[lead.status]}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}
