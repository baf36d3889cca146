import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { BarStack } from "@visx/shape";

export interface ChartSeries<K extends string> {
  key: K;
  label: string;
}

export interface ChartRow<K extends string> {
  /** The category: a day ("2026-03-29") or a step ("Step 1"). */
  label: string;
  values: Record<K, number>;
}

interface BarChartProps<K extends string> {
  id: string;
  title: string;
  /** One sentence saying what the bars count (the chart's description for screen readers, shown under the title). */
  description: string;
  rows: ChartRow<K>[];
  series: ChartSeries<K>[];
  /** The y axis's and the table's number format. */
  formatValue?: (value: number) => string;
  /** What the table shows in a cell, when it says more than the bar (e.g. "75 % (3 of 4)"). */
  formatCell?: (row: ChartRow<K>, key: K) => string;
  /** The x axis's label for a category. */
  formatCategory?: (label: string) => string;
  /** The table's heading for the category column ("Day", "Step"). */
  categoryName: string;
  /** Shown instead of an empty plot when every value is 0. */
  emptyText: string;
}

// A fixed coordinate system scaled by CSS (width: 100%): the server renders the final SVG, so the
// chart is there before JavaScript loads and nothing is measured in the browser.
const WIDTH = 480;
const HEIGHT = 220;
const MARGIN = { top: 10, right: 8, bottom: 28, left: 40 };
const MAX_X_TICKS = 6;

const plain = (value: number) => String(Math.round(value * 100) / 100);

/** A stacked bar chart (server-rendered SVG) with its numbers in a table beside it. */
export function BarChart<K extends string>({ id, title, description, rows, series, formatValue = plain, formatCell, formatCategory = (label) => label, categoryName, emptyText }: BarChartProps<K>) {
  const totals = rows.map((row) => series.reduce((sum, { key }) => sum + row.values[key], 0));
  const hasData = totals.some((total) => total > 0);
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleBand<string>({ domain: rows.map((row) => row.label), range: [0, innerWidth], padding: 0.2 });
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...totals)], range: [innerHeight, 0], nice: true });
  // Every k-th category, so a 90-day chart gets a readable axis.
  const step = Math.max(1, Math.ceil(rows.length / MAX_X_TICKS));
  const xTicks = rows.filter((_, index) => index % step === 0).map((row) => row.label);
  const data = rows.map((row) => ({ label: row.label, ...row.values }));
  const titleId = `${id}-title`;
  const descriptionId = `${id}-description`;

  return (
    <figure className="chart" aria-labelledby={titleId} data-testid={`chart-${id}`}>
      <figcaption>
        <h3 id={titleId}>{title}</h3>
        <p id={descriptionId} className="muted">
          {description}
        </p>
        {series.length > 1 ? (
          <ul className="chart__legend">
            {series.map(({ key, label }, index) => (
              <li key={key}>
                <span className={`chart__swatch chart__series--${index}`} aria-hidden="true" />
                {label}
              </li>
            ))}
          </ul>
        ) : null}
      </figcaption>
      {hasData ? (
        <svg className="chart__plot" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId} aria-describedby={descriptionId}>
          <Group left={MARGIN.left} top={MARGIN.top}>
            {/* Colours come from CSS classes (dark mode, one palette), so the stack's own colour is unused. */}
            <BarStack<(typeof data)[number], K> data={data} keys={series.map(({ key }) => key)} x={(row) => row.label} xScale={x} yScale={y} color={() => ""}>
              {(stacks) =>
                stacks.map((stack) =>
                  stack.bars.map((bar) =>
                    bar.height > 0 ? (
                      <rect key={`${stack.index}-${bar.index}`} x={bar.x} y={bar.y} width={bar.width} height={bar.height} className={`chart__bar chart__series--${stack.index}`} />
                    ) : null,
                  ),
                )
              }
            </BarStack>
            <AxisLeft scale={y} numTicks={4} tickFormat={(value) => formatValue(Number(value))} axisClassName="chart__axis" tickClassName="chart__tick" stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ fill: "currentColor", fontSize: 12, textAnchor: "end", dx: -4, dy: 4 }} />
            <AxisBottom top={innerHeight} scale={x} tickValues={xTicks} tickFormat={formatCategory} axisClassName="chart__axis" tickClassName="chart__tick" stroke="currentColor" tickStroke="currentColor" tickLabelProps={{ fill: "currentColor", fontSize: 12, textAnchor: "middle" }} />
          </Group>
        </svg>
      ) : (
        <p className="chart__empty">{emptyText}</p>
      )}
      <details className="chart__table">
        <summary>Show as table</summary>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{categoryName}</th>
                {series.map(({ key, label }) => (
                  <th key={key} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{formatCategory(row.label)}</th>
                  {series.map(({ key }) => (
                    <td key={key}>{formatCell ? formatCell(row, key) : formatValue(row.values[key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
