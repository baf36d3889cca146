import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart } from "../../app/components/analytics/bar-chart.tsx";

const rows = [
  { label: "2026-03-28", values: { in: 0, out: 0 } },
  { label: "2026-03-29", values: { in: 3, out: 1 } },
  { label: "2026-03-30", values: { in: 1, out: 2 } },
];

function render(chartRows: typeof rows): string {
  return renderToString(
    createElement(BarChart<"in" | "out">, {
      id: "messages",
      title: "Messages in and out",
      description: "Messages per day.",
      categoryName: "Day",
      rows: chartRows,
      series: [
        { key: "in", label: "In" },
        { key: "out", label: "Out" },
      ],
      emptyText: "No messages in this range.",
    }),
  );
}

describe("bar chart on the server", () => {
  it("renders the SVG bars and the table in the server's HTML (no browser, no measuring)", () => {
    const html = render(rows);
    expect(html).toContain('<svg class="chart__plot" viewBox="0 0 480 220" role="img"');
    // Four non-zero values, four bars; the empty day draws none.
    expect(html.match(/<rect [^>]*class="chart__bar/g)).toHaveLength(4);
    expect(html).toContain("<summary>Show as table</summary>");
    expect(html).toMatch(/<th scope="row">2026-03-29<\/th><td>3<\/td><td>1<\/td>/);
  });

  it("says there is nothing to draw instead of drawing an empty axis", () => {
    const html = render(rows.map((row) => ({ ...row, values: { in: 0, out: 0 } })));
    expect(html).not.toContain("<svg");
    expect(html).toContain("No messages in this range.");
  });
});
