// Types only: @audnix/core is server-side code (node:crypto) and stays out of the bundle.
import type { AnalyticsPreset, AnalyticsRange } from "@audnix/core";
import { Form, Link } from "@remix-run/react";

// A Record, so a preset added to core's list fails the typecheck here until it has a label.
const PRESET_LABELS: Record<AnalyticsPreset, string> = { "7d": "7 days", "30d": "30 days", "90d": "90 days" };
const PRESETS = Object.keys(PRESET_LABELS) as AnalyticsPreset[];

/** Links for the preset ranges and a GET form for custom days: both work before JavaScript loads. */
export function AnalyticsRangePicker({ range, period, problem }: { range: AnalyticsRange; period: { from: string; to: string }; problem: string | null }) {
  return (
    <div className="range-picker">
      <nav aria-label="Range">
        <ul className="range-picker__presets">
          {PRESETS.map((preset) => {
            const current = "preset" in range && range.preset === preset;
            return (
              <li key={preset}>
                <Link to={`/dashboard?range=${preset}`} className="button button--ghost" aria-current={current ? "page" : undefined} preventScrollReset>
                  {PRESET_LABELS[preset]}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <Form method="get" action="/dashboard" className="range-picker__custom" aria-label="Custom range" preventScrollReset>
        <div className="field">
          <label htmlFor="range-start">From</label>
          <input id="range-start" type="date" name="start" required defaultValue={period.from} aria-describedby={problem ? "range-problem" : undefined} />
        </div>
        <div className="field">
          <label htmlFor="range-end">To</label>
          <input id="range-end" type="date" name="end" required defaultValue={period.to} aria-describedby={problem ? "range-problem" : undefined} />
        </div>
        <button type="submit" className="button button--ghost">
          Show
        </button>
      </Form>
      {problem ? (
        <p id="range-problem" role="alert" className="field-error">
          {problem} Showing the last 30 days instead.
        </p>
      ) : null}
    </div>
  );
}
