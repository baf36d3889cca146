import { Form, Link, useSubmit } from "@remix-run/react";
import { formatDay } from "../analytics/format-figures.ts";
import { SEARCH_MAX_LENGTH, leadFiltersQuery, type LeadActivity, type LeadActivityKind, type LeadFilters } from "../leads/lead-filters.ts";
import { CHANNEL_NAMES, CHANNELS, STATUS_NAMES, STATUSES } from "../leads/lead-labels.ts";

/** Search box and channel/status filters; they live in the URL, so a filtered list can be reloaded or shared. */
export function LeadFiltersForm({ filters }: { filters: LeadFilters }) {
  const submit = useSubmit();

  // Only the filters that are set go into the URL (?channel=instagram, not ?q=&channel=instagram&status=).
  const apply = (form: HTMLFormElement) => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value.trim() !== "") params.set(name, value.trim());
    }
    submit(params, { method: "get", action: "/dashboard", replace: true });
  };

  return (
    <Form
      // Remounting when the URL changes (back button, "Clear filters") shows the filters it holds.
      key={leadFiltersQuery(filters).toString()}
      method="get"
      action="/dashboard"
      role="search"
      className="lead-filters"
      onSubmit={(event) => {
        event.preventDefault();
        apply(event.currentTarget);
      }}
    >
      <div className="field field--grow">
        <label htmlFor="lead-search">Search leads</label>
        <input
          id="lead-search"
          type="search"
          name="q"
          defaultValue={filters.search}
          maxLength={SEARCH_MAX_LENGTH}
          placeholder="Name, email, phone or id"
        />
      </div>
      <FilterSelect
        name="channel"
        label="Channel"
        allLabel="All channels"
        value={filters.channel}
        options={CHANNELS.map((channel) => [channel, CHANNEL_NAMES[channel]])}
        onChange={apply}
      />
      <FilterSelect
        name="status"
        label="Status"
        allLabel="All statuses"
        value={filters.status}
        options={STATUSES.map((status) => [status, STATUS_NAMES[status]])}
        onChange={apply}
      />
      <div className="field field--checkbox">
        <input
          id="lead-needs-you"
          type="checkbox"
          name="needsYou"
          value="1"
          defaultChecked={filters.needsYou}
          onChange={(event) => event.currentTarget.form && apply(event.currentTarget.form)}
        />
        <label htmlFor="lead-needs-you">Needs you only</label>
      </div>
      <button type="submit" className="button button--ghost">
        Search
      </button>
      {filters.activity ? <LeadActivityNote activity={filters.activity} filters={filters} /> : null}
    </Form>
  );
}

const ACTIVITY_WORDS: Record<LeadActivityKind, string> = {
  created: "Leads that arrived",
  messaged: "Leads with messages",
  ai_messaged: "Leads the AI wrote to",
  converted: "Leads marked converted",
  opted_out: "Leads that opted out",
  delivery_problem: "Leads with a failed or unconfirmed send",
};

/** The dashboard tile's drill-down this list is narrowed to, kept when other filters change. */
function LeadActivityNote({ activity, filters }: { activity: LeadActivity; filters: LeadFilters }) {
  const withoutActivity = leadFiltersQuery({ ...filters, activity: null }).toString();
  return (
    <p className="lead-filters__activity" data-testid="lead-activity-filter">
      <input type="hidden" name="activity" value={activity.kind} />
      <input type="hidden" name="from" value={activity.from} />
      <input type="hidden" name="to" value={activity.to} />
      {ACTIVITY_WORDS[activity.kind]}, {formatDay(activity.from)} – {formatDay(activity.to)}.{" "}
      <Link to={withoutActivity ? `/dashboard?${withoutActivity}` : "/dashboard"}>Show all leads</Link>
    </p>
  );
}

interface FilterSelectProps {
  name: string;
  label: string;
  allLabel: string;
  value: string | null;
  options: [value: string, label: string][];
  onChange: (form: HTMLFormElement) => void;
}

/** One filter: choosing a value applies it at once. */
function FilterSelect({ name, label, allLabel, value, options, onChange }: FilterSelectProps) {
  const id = `lead-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""} onChange={(event) => event.currentTarget.form && onChange(event.currentTarget.form)}>
        <option value="">{allLabel}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </div>
  );
}
