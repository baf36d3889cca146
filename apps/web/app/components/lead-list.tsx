import type { RouterOutputs } from "@audnix/api/client";
import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { hasLeadFilters, leadFiltersQuery, type LeadFilters } from "../leads/lead-filters.ts";
import { CHANNEL_NAMES, STATUS_NAMES } from "../leads/lead-labels.ts";
import type { loader as dashboardHomeLoader } from "../routes/dashboard._index.tsx";
import { LeadNeedsOwnerBadge } from "./lead-needs-owner.tsx";
import { LocalTime } from "./local-time.tsx";

type LeadItem = RouterOutputs["leads"]["list"]["items"][number];

interface LeadListProps {
  filters: LeadFilters;
  leads: LeadItem[];
  nextCursor: string | null;
}

/** The owner's leads, newest activity first, with "Load more" for older ones. */
export function LeadList({ filters, leads, nextCursor }: LeadListProps) {
  const query = leadFiltersQuery(filters).toString();
  if (leads.length === 0) {
    if (filters.needsYou && !hasLeadFilters({ ...filters, needsYou: false })) {
      return (
        <div className="empty-state" data-testid="needs-you-empty">
          <p>No lead needs you right now.</p>
          <Link to="/dashboard">Show all leads</Link>
        </div>
      );
    }
    return hasLeadFilters(filters) ? (
      <div className="empty-state">
        <p>No leads match these filters.</p>
        <Link to="/dashboard">Clear filters</Link>
      </div>
    ) : (
      <p className="empty-state">No leads yet: connect Instagram, WhatsApp or email to start capturing leads</p>
    );
  }
  return (
    // A new filter starts again from the first page.
    <ul className="lead-list" key={query} aria-label="Leads">
      {leads.map((lead) => (
        <LeadRow key={lead.id} lead={lead} />
      ))}
      {nextCursor ? <MoreLeads cursor={nextCursor} query={query} /> : null}
    </ul>
  );
}

function LeadRow({ lead }: { lead: LeadItem }) {
  return (
    <li className="lead">
      <Link className="lead__name" to={`/dashboard/leads/${lead.id}`}>
        {lead.displayName ?? "Unnamed lead"}
      </Link>
      <span className="muted">
        {CHANNEL_NAMES[lead.channel]} · {STATUS_NAMES[lead.status]}
      </span>
      <LeadNeedsOwnerBadge title={lead.needsOwnerTitle} />
      <span className="lead__time muted">
        {lead.lastMessageAt ? <LocalTime date={lead.lastMessageAt} /> : "No messages yet"}
      </span>
    </li>
  );
}

/** The "Load more" button, then the page it loaded (which ends with its own "Load more"). */
function MoreLeads({ cursor, query }: { cursor: string; query: string }) {
  const [requested, setRequested] = useState(false);
  if (requested) return <NextPage cursor={cursor} query={query} />;
  return (
    <li className="lead-list__more">
      <button type="button" className="button button--ghost" onClick={() => setRequested(true)}>
        Load more
      </button>
    </li>
  );
}

function NextPage({ cursor, query }: { cursor: string; query: string }) {
  // A fetcher per page: live revalidation refreshes loaded pages too, and when an earlier page
  // moves (a lead got a new message) its new cursor reloads this one from the right place.
  const fetcher = useFetcher<typeof dashboardHomeLoader>();
  const params = new URLSearchParams(query);
  params.set("cursor", cursor);
  const href = `/dashboard?index&${params.toString()}`;
  const { load } = fetcher;
  useEffect(() => {
    load(href);
  }, [load, href]);

  if (!fetcher.data) {
    return (
      <li className="lead-list__more">
        <button type="button" className="button button--ghost" disabled aria-busy="true">
          Loading…
        </button>
      </li>
    );
  }
  return (
    <>
      {fetcher.data.leads.map((lead) => (
        <LeadRow key={lead.id} lead={lead} />
      ))}
      {fetcher.data.nextCursor ? <MoreLeads cursor={fetcher.data.nextCursor} query={query} /> : null}
    </>
  );
}
