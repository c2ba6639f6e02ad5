import { describe, expect, test } from "vitest";
import type { MeasurementChart } from "./measurement.js";
import { logTicks, niceTicks, renderChartSvg } from "./svg-chart.js";

/** Every tag opened is closed, in order: enough to know a browser will parse the file. */
function expectBalanced(svg: string): void {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing === "/") continue;
    if (closing === "/") expect(stack.pop(), `</${name}> closes the open tag`).toBe(name);
    else stack.push(name!);
  }
  expect(stack, "tags left open").toEqual([]);
}

const line: MeasurementChart = {
  name: "latency",
  title: "Write latency <by mode>",
  kind: "line",
  xLabel: "cluster size",
  yLabel: "ms",
  series: [
    {
      name: "sync & safe",
      points: [
        { x: 3, y: 10 },
        { x: 5, y: 14 },
        { x: 7, y: 19 },
      ],
    },
    {
      name: "async",
      points: [
        { x: 3, y: 2 },
        { x: 5, y: 2 },
        { x: 7, y: 3 },
      ],
    },
  ],
};

describe("renderChartSvg", () => {
  test("a line chart: one polyline and legend entry per series, escaped text, balanced tags", () => {
    const svg = renderChartSvg(line);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain("Write latency &lt;by mode&gt;");
    expect(svg).toContain("sync &amp; safe");
    expectBalanced(svg);
    expect(renderChartSvg(line), "the same chart draws the same text").toBe(svg);
  });

  test("a bar chart: one bar per point, categories as x labels", () => {
    const svg = renderChartSvg({
      name: "lost",
      title: "Writes lost",
      kind: "bar",
      xLabel: "strategy",
      yLabel: "writes",
      categories: ["sync", "async", "leaderless"],
      series: [
        {
          name: "lost",
          points: [
            { x: 0, y: 0 },
            { x: 1, y: 7 },
            { x: 2, y: 1 },
          ],
        },
      ],
    });
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    for (const name of ["sync", "async", "leaderless"]) expect(svg).toContain(`>${name}</text>`);
    expectBalanced(svg);
  });

  test("a log-x chart spaces 10, 100 and 1,000 evenly", () => {
    const svg = renderChartSvg({
      ...line,
      logX: true,
      series: [
        {
          name: "n",
          points: [
            { x: 10, y: 1 },
            { x: 100, y: 2 },
            { x: 1_000, y: 3 },
          ],
        },
      ],
    });
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!, 0);
    expect(svg).toContain("(log scale)");
  });

  test("refuses a chart with no points, a non-finite point, or x <= 0 on a log scale", () => {
    expect(() => renderChartSvg({ ...line, series: [] })).toThrow(/no points/);
    expect(() =>
      renderChartSvg({ ...line, series: [{ name: "a", points: [{ x: 1, y: NaN }] }] }),
    ).toThrow(/not a finite number/);
    expect(() =>
      renderChartSvg({ ...line, logX: true, series: [{ name: "a", points: [{ x: 0, y: 1 }] }] }),
    ).toThrow(/x must be > 0, got 0/);
  });
});

describe("ticks", () => {
  test("round-numbered linear ticks cover the range", () => {
    expect(niceTicks(0, 37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
  });

  test("log ticks are powers of ten, with 2 and 5 between over few decades", () => {
    expect(logTicks(10, 1_000)).toEqual([10, 20, 50, 100, 200, 500, 1_000]);
    expect(logTicks(1, 100_000)).toEqual([1, 10, 100, 1_000, 10_000, 100_000]);
  });
});
