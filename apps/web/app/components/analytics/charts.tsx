import type { RouterOutputs } from "@audnix/api/client";
import { formatDay, formatRate } from "../../analytics/format-figures.ts";
import { CHANNEL_NAMES } from "../../leads/lead-labels.ts";
import { BarChart, type ChartRow } from "./bar-chart.tsx";

type Series = RouterOutputs["analytics"]["series"];

const CHANNEL_SERIES = (["instagram", "whatsapp", "email", "sandbox"] as const).map((key) => ({ key, label: CHANNEL_NAMES[key] }));
const stepName = (label: string) => (label === "0" ? "Reply" : `Step ${label}`);

/** The range's charts, each with its numbers as a table. */
export function AnalyticsCharts({ series }: { series: Series }) {
  const daily = series.daily;
  const dayRows = <K extends string>(pick: (day: (typeof daily)[number]) => Record<K, number>): ChartRow<K>[] => daily.map((day) => ({ label: day.date, values: pick(day) }));
  const steps = series.replyRateByStep;
  const stepRows: ChartRow<"rate">[] = steps.map((step) => ({ label: String(step.step), values: { rate: step.rate ?? 0 } }));
  const stepCell = (row: ChartRow<"rate">) => {
    const step = steps.find((candidate) => String(candidate.step) === row.label);
    return step ? `${formatRate(step.rate)} (${step.answered} of ${step.sent})` : "—";
  };

  return (
    <div className="charts">
      <BarChart
        id="new-leads"
        title="New leads by channel"
        description="Leads whose first message arrived each day, by channel."
        categoryName="Day"
        rows={series.newLeadsByChannel.map(({ date, ...values }) => ({ label: date, values }))}
        series={CHANNEL_SERIES}
        formatCategory={formatDay}
        emptyText="No new leads in this range."
      />
      <BarChart
        id="messages"
        title="Messages in and out"
        description="Messages leads sent you and messages sent to them (AI, you, your apps), per day."
        categoryName="Day"
        rows={dayRows((day) => ({ in: day.messagesIn, out: day.messagesOut }))}
        series={[
          { key: "in", label: "In" },
          { key: "out", label: "Out" },
        ]}
        formatCategory={formatDay}
        emptyText="No messages in this range."
      />
      <BarChart
        id="ai"
        title="AI replies and follow-ups"
        description="Messages the AI sent each day: replies to a lead's message and planned follow-up steps."
        categoryName="Day"
        rows={dayRows((day) => ({ replies: day.aiReplies, followUps: day.aiFollowUps }))}
        series={[
          { key: "replies", label: "Replies" },
          { key: "followUps", label: "Follow-ups" },
        ]}
        formatCategory={formatDay}
        emptyText="The AI sent nothing in this range."
      />
      <BarChart
        id="conversions"
        title="Conversions"
        description="Leads marked converted each day."
        categoryName="Day"
        rows={dayRows((day) => ({ conversions: day.conversions }))}
        series={[{ key: "conversions", label: "Conversions" }]}
        formatCategory={formatDay}
        emptyText="No conversions in this range."
      />
      <BarChart
        id="reply-rate"
        title="Reply rate by step"
        description="Of the AI's messages at each step (the reply, then each follow-up), the share the lead answered."
        categoryName="Step"
        rows={stepRows}
        series={[{ key: "rate", label: "Reply rate" }]}
        formatValue={(value) => formatRate(value)}
        formatCell={stepCell}
        formatCategory={stepName}
        emptyText="The AI sent nothing in this range."
      />
    </div>
  );
}
