import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData, useNavigation } from "@remix-run/react";
import { AdoptBrowserTimeZone } from "../components/adopt-browser-time-zone.tsx";
import { DashboardMenu, DashboardNav, dashboardNavItems } from "../components/dashboard-nav.tsx";
import { skipRevalidationWhenUnreachable } from "../forms/keep-input-when-unreachable.ts";
import { ConnectionReconnectBanner } from "../components/connection-reconnect-banner.tsx";
import { LiveIndicator } from "../components/live-indicator.tsx";
import { SiteHeader } from "../components/site-header.tsx";
import { useNeedsYouNotifications } from "../live/needs-you-notifications.ts";
import { useLiveRevalidation, useLiveUpdates } from "../live/use-live-updates.ts";
import { privatePageHeaders } from "../private-page-headers.ts";
import { requireUserId } from "../session.server.ts";
import { createServerCaller } from "../trpc.server.ts";

export const meta: MetaFunction = () => [{ title: "Dashboard · Audnix AI" }];

export const headers = privatePageHeaders;

export const shouldRevalidate = skipRevalidationWhenUnreachable;

export async function loader({ request }: LoaderFunctionArgs) {
  const caller = createServerCaller(await requireUserId(request));
  const [me, connections, needsYou, brand] = await Promise.all([
    caller.viewer.me(),
    caller.connections.list(),
    caller.needsYou.count(),
    caller.brandSettings.get(),
  ]);
  // Every dashboard page warns about a channel that stopped working, not only the Connections page.
  const needsReconnect = connections.flatMap(({ channel, status, reason }) => (status === "needs_reconnect" ? [{ channel, reason }] : []));
  // Never saved: the browser's zone may replace the UTC default (once, server-checked).
  return { me, needsReconnect, needsYouCount: needsYou.count, browserTimeZoneWanted: brand.settings.updatedAt === null };
}

/** The signed-in area: header, plan banner, and one live connection shared by every dashboard page. */
export default function DashboardLayout() {
  const { me, needsReconnect, needsYouCount, browserTimeZoneWanted } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const signingOut = navigation.state !== "idle" && navigation.formAction === "/logout";
  // Opens the tab's one live stream for the indicator; each page refreshes what it shows
  // (useLiveRevalidation / useLiveRefresh), coalesced, instead of every loader per event.
  const liveStatus = useLiveUpdates();
  const navItems = dashboardNavItems({ needsYouCount });
  // "Needs you (N)" follows the queue on every page, and the owner's opted-in browser is told.
  useLiveRevalidation({ relevant: (event) => event.type === "lead.needs_owner" });
  useNeedsYouNotifications();

  return (
    <div className="page">
      {browserTimeZoneWanted ? <AdoptBrowserTimeZone /> : null}
      <SiteHeader>
        <DashboardNav items={navItems} />
        <div className="site-header__actions">
          <LiveIndicator status={liveStatus} />
          <SignOutButton signingOut={signingOut} className="wide-only" />
          <DashboardMenu items={navItems} extra={<SignOutButton signingOut={signingOut} />} />
        </div>
      </SiteHeader>

      {me.followUpBlock ? (
        <p className="banner" role="alert" data-testid="follow-up-block">
          {me.followUpBlock.message} <Link to="/dashboard/billing">See plans on Billing</Link>
        </p>
      ) : null}

      <ConnectionReconnectBanner channels={needsReconnect} />

      <main className="dashboard">
        <Outlet />
      </main>
    </div>
  );
}

/** Sign out: in the header on wide screens, at the end of the menu on narrow ones. */
function SignOutButton({ signingOut, className }: { signingOut: boolean; className?: string }) {
  return (
    <Form method="post" action="/logout" className={className}>
      <button type="submit" className="button button--ghost" disabled={signingOut}>
        {signingOut ? "Signing out…" : "Sign out"}
      </button>
    </Form>
  );
}
