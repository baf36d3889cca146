import { Form, useSubmit } from "@remix-run/react";
import { SEARCH_MAX_LENGTH, leadFiltersQuery, type LeadFilters } from "../leads/lead-filters.ts";
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
      <div className="field">
        <label htmlFor="lead-channel">Channel</label>
        <select
          id="lead-channel"
          name="channel"
          defaultValue={filters.channel ?? ""}
          onChange={(event) => event.currentTarget.form && apply(event.currentTarget.form)}
        >
          <option value="">All channels</option>
          {CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {CHANNEL_NAMES[channel]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="lead-status">Status</label>
        <select
          id="lead-status"
          name="status"
          defaultValue={filters.status ?? ""}
          onChange={(event) => event.currentTarget.form && apply(event.currentTarget.form)}
        >
          <option value="">All statuses</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_NAMES[status]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--ghost">
        Search
      </button>
    </Form>
  );
}
