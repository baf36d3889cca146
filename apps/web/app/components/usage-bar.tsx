/** How much of a plan's allowance is used, readable by screen readers as "12 of 100 leads". */
export function UsageBar({ label, used, limit, unit }: { label: string; used: number; limit: number; unit: string }) {
  // An expired plan allows nothing; an overrun (usage from a bigger plan) shows as full.
  const shown = Math.min(used, limit);
  const percent = limit === 0 ? 100 : (shown / limit) * 100;
  const text = `${used} of ${limit} ${unit}`;
  return (
    <div className="usage">
      <div className="usage__label">
        <span>{label}</span>
        <span className="muted">{text}</span>
      </div>
      <div
        className="usage__track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={shown}
        aria-valuetext={text}
      >
        <div className="usage__fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
