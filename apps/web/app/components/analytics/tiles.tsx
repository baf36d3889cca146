import type { RouterOutputs } from "@audnix/api/client";
import type { AnalyticsRange, Comparison } from "@audnix/core";
import { Link } from "@remix-run/react";
import { formatAmount } from "../../billing/format-amount.ts";
import { drillDownHref } from "../../analytics/drill-down.ts";
import { formatChange, formatDay, formatPercentile, formatRate } from "../../analytics/format-figures.ts";
import type { LeadActivityKind } from "../../leads/lead-filters.ts";

type Overview = RouterOutputs["analytics"]["overview"];

interface TileProps {
  id: string;
  label: string;
  value: string;
  /** A second line with more figures (p90, values per currency). */
  detail?: string;
  change: string | null;
  href: string;
}

function Tile({ id, label, value, detail, change, href }: TileProps) {
  return (
    <li className="tile">
      <Link to={href} className="tile__link" data-testid={`tile-${id}`}>
        <span className="tile__label">{label}</span>
        <span className="tile__value" data-testid={`tile-${id}-value`}>
          {value}
        </span>
        {detail ? <span className="tile__detail">{detail}</span> : null}
        {change ? <span className="tile__change muted">{change}</span> : null}
      </Link>
    </li>
  );
}

/** Every tile of the overview; each links to the leads behind it. */
export function AnalyticsTiles({ overview, range }: { overview: Overview; range: AnalyticsRange }) {
  const { counts, rates, firstResponse, period, previousPeriod } = overview;
  const against = `vs ${formatDay(previousPeriod.from)} – ${formatDay(previousPeriod.to)}`;
  const change = (comparison: Comparison | null, kind: "count" | "rate") => `${formatChange(comparison, kind)} ${against}`;
  const href = (kind: LeadActivityKind) => drillDownHref(kind, period, range);
  const values = overview.conversionValues.filter((value) => value.current > 0).map((value) => formatAmount(value.current, value.currency));

  return (
    <ul className="tiles" aria-label={`Figures for ${formatDay(period.from)} – ${formatDay(period.to)}`}>
      <Tile id="new-leads" label="New leads" value={String(counts.newLeads.current)} change={change(counts.newLeads.comparison, "count")} href={href("created")} />
      <Tile id="messages-in" label="Messages in" value={String(counts.messagesIn.current)} change={change(counts.messagesIn.comparison, "count")} href={href("messaged")} />
      <Tile id="messages-out" label="Messages out" value={String(counts.messagesOut.current)} change={change(counts.messagesOut.comparison, "count")} href={href("messaged")} />
      <Tile id="ai-replies" label="AI replies sent" value={String(counts.aiReplies.current)} change={change(counts.aiReplies.comparison, "count")} href={href("ai_messaged")} />
      <Tile id="ai-follow-ups" label="AI follow-ups sent" value={String(counts.aiFollowUps.current)} change={change(counts.aiFollowUps.comparison, "count")} href={href("ai_messaged")} />
      <Tile id="reply-rate" label="Reply rate" value={formatRate(rates.reply.current)} detail="AI messages the lead answered" change={change(rates.reply.comparison, "rate")} href={href("ai_messaged")} />
      <Tile
        id="first-response"
        label="Time to first response"
        value={firstResponse.p50.current === null ? "—" : `Half ${formatPercentile(firstResponse.p50.current)}`}
        detail={firstResponse.p90.current === null ? "No first responses in this range" : `9 in 10 ${formatPercentile(firstResponse.p90.current)}`}
        change={firstResponse.p50.previous === null ? "none before" : `Before: half ${formatPercentile(firstResponse.p50.previous)}`}
        href={href("created")}
      />
      <Tile id="conversions" label="Conversions" value={String(counts.conversions.current)} detail={values.length > 0 ? values.join(" · ") : undefined} change={change(counts.conversions.comparison, "count")} href={href("converted")} />
      <Tile id="conversion-rate" label="Conversion rate" value={formatRate(rates.conversion.current)} detail="Conversions per new lead" change={change(rates.conversion.comparison, "rate")} href={href("converted")} />
      <Tile id="opt-out-rate" label="Opt-out rate" value={formatRate(rates.optOut.current)} detail="Opt-outs per new lead" change={change(rates.optOut.comparison, "rate")} href={href("opted_out")} />
      <Tile id="waiting" label="Waiting for you" value={String(overview.waitingForOwner)} detail="Leads that need you now" change={null} href="/dashboard?needsYou=1#leads-title" />
      <Tile id="delivery-problems" label="Failed or unconfirmed sends" value={String(counts.deliveryProblems.current)} change={change(counts.deliveryProblems.comparison, "count")} href={href("delivery_problem")} />
    </ul>
  );
}
