import type { MeasurementChart } from "./measurement.js";

/**
 * Draws a `MeasurementChart` as a self-contained SVG document: axes with round-numbered ticks,
 * a line or bar per series, a legend, the title and the axis labels. The output is plain text
 * and a function of the chart alone (no fonts measured, no dates, no random ids), so the same
 * measurement writes the same file and a test can read it.
 *
 * Hand-written rather than Vega-Lite: two chart kinds need about two hundred lines, while
 * Vega-Lite brings vega, its parser and dataflow runtime (megabytes of dependencies) to
 * draw the same thing, and its SVG text depends on its version.
 */

const width = 760;
const height = 440;
const margin = { top: 48, right: 200, bottom: 64, left: 76 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
/** Colour-blind-safe (Okabe and Ito), in the order series take them. */
const palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"];

export function renderChartSvg(chart: MeasurementChart): string {
  const points = chart.series.flatMap((series) => series.points);
  if (chart.series.length === 0 || points.length === 0)
    throw new RangeError(`Chart "${chart.name}" has no points to draw`);
  for (const point of points) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y))
      throw new RangeError(
        `Chart "${chart.name}" has a point that is not a finite number: (${point.x}, ${point.y})`,
      );
    if (chart.logX === true && point.x <= 0)
      throw new RangeError(
        `Chart "${chart.name}" plots x on a log scale, so every x must be > 0, got ${point.x}`,
      );
  }
  const xValues = [...new Set(points.map((point) => point.x))].sort((a, b) => a - b);
  const ys = points.map((point) => point.y);
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(...ys));
  const yMin = yTicks[0]!;
  const yMax = yTicks.at(-1)!;
  const yOf = (y: number): number =>
    margin.top + plotHeight - ((y - yMin) / (yMax - yMin)) * plotHeight;

  const parts: string[] = [];
  let xTicks: Array<{ at: number; label: string }>;
  if (chart.kind === "bar") {
    // Bars stand in groups, one group per x value, one bar per series within a group.
    const groupWidth = plotWidth / xValues.length;
    const barWidth = (groupWidth * 0.8) / chart.series.length;
    xTicks = xValues.map((x, index) => ({
      at: margin.left + groupWidth * (index + 0.5),
      label: labelOf(chart, x),
    }));
    chart.series.forEach((series, seriesIndex) => {
      for (const point of series.points) {
        const group = xValues.indexOf(point.x);
        const left = margin.left + groupWidth * (group + 0.1) + barWidth * seriesIndex;
        const top = Math.min(yOf(point.y), yOf(0));
        const barHeight = Math.abs(yOf(point.y) - yOf(0));
        parts.push(
          `<rect x="${round(left)}" y="${round(top)}" width="${round(barWidth)}" height="${round(barHeight)}" fill="${colour(seriesIndex)}"><title>${escape(`${series.name}: ${labelOf(chart, point.x)} → ${formatNumber(point.y)}`)}</title></rect>`,
        );
      }
    });
  } else {
    const scale = chart.logX === true ? Math.log10 : (x: number) => x;
    const ticks =
      chart.logX === true
        ? logTicks(xValues[0]!, xValues.at(-1)!)
        : niceTicks(xValues[0]!, xValues.at(-1)!);
    const low = Math.min(scale(ticks[0]!), scale(xValues[0]!));
    const high = Math.max(scale(ticks.at(-1)!), scale(xValues.at(-1)!));
    const span = high - low || 1;
    const xOf = (x: number): number => margin.left + ((scale(x) - low) / span) * plotWidth;
    xTicks = ticks.map((x) => ({ at: xOf(x), label: labelOf(chart, x) }));
    chart.series.forEach((series, seriesIndex) => {
      const sorted = [...series.points].sort((a, b) => a.x - b.x);
      const path = sorted.map((point) => `${round(xOf(point.x))},${round(yOf(point.y))}`);
      parts.push(
        `<polyline fill="none" stroke="${colour(seriesIndex)}" stroke-width="2" points="${path.join(" ")}"/>`,
      );
      for (const point of sorted)
        parts.push(
          `<circle cx="${round(xOf(point.x))}" cy="${round(yOf(point.y))}" r="3" fill="${colour(seriesIndex)}"><title>${escape(`${series.name}: ${formatNumber(point.x)} → ${formatNumber(point.y)}`)}</title></circle>`,
        );
    });
  }

  const axes: string[] = [];
  const bottom = margin.top + plotHeight;
  for (const y of yTicks) {
    axes.push(
      `<line x1="${margin.left}" y1="${round(yOf(y))}" x2="${margin.left + plotWidth}" y2="${round(yOf(y))}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${round(yOf(y) + 4)}" text-anchor="end">${escape(formatNumber(y))}</text>`,
    );
  }
  for (const tick of xTicks) {
    axes.push(
      `<line x1="${round(tick.at)}" y1="${bottom}" x2="${round(tick.at)}" y2="${bottom + 5}" stroke="#333"/>`,
      `<text x="${round(tick.at)}" y="${bottom + 20}" text-anchor="middle">${escape(tick.label)}</text>`,
    );
  }
  axes.push(
    `<line x1="${margin.left}" y1="${bottom}" x2="${margin.left + plotWidth}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${bottom}" stroke="#333"/>`,
  );

  const legend = chart.series.map((series, index) => {
    const y = margin.top + 10 + index * 22;
    const x = margin.left + plotWidth + 20;
    return (
      `<rect x="${x}" y="${y - 9}" width="14" height="10" fill="${colour(index)}"/>` +
      `<text x="${x + 20}" y="${y}">${escape(series.name)}</text>`
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escape(chart.title)}</text>`,
    ...axes,
    ...parts,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 18}" text-anchor="middle">${escape(chart.xLabel + (chart.logX === true ? " (log scale)" : ""))}</text>`,
    `<text x="18" y="${margin.top + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 18 ${margin.top + plotHeight / 2})">${escape(chart.yLabel)}</text>`,
    `<g class="legend">${legend.join("")}</g>`,
    `</svg>`,
    "",
  ].join("\n");
}

/**
 * About five round-numbered ticks (steps of 1, 2 or 5 times a power of ten) covering
 * [low, high]; for 0 to 37 they are 0, 10, 20, 30, 40.
 */
export function niceTicks(low: number, high: number): number[] {
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) / 2;
    return niceTicks(low - (low === 0 ? 0 : pad), high + pad);
  }
  const rough = (high - low) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((multiple) => multiple * power).find((step) => step >= rough)!;
  const ticks: number[] = [];
  for (let tick = Math.floor(low / step) * step; tick < high + step * 0.999; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

/** Powers of ten covering [low, high], with 2 and 5 between them when there are few decades. */
export function logTicks(low: number, high: number): number[] {
  const first = Math.floor(Math.log10(low));
  const last = Math.ceil(Math.log10(high));
  const multiples = last - first <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let exponent = first; exponent <= last; exponent++)
    for (const multiple of multiples) {
      const tick = Number((multiple * 10 ** exponent).toPrecision(12));
      if (tick >= low / 1.0001 && tick <= high * 1.0001) ticks.push(tick);
    }
  if (ticks.length < 2) return [low, high];
  return ticks;
}

function labelOf(chart: MeasurementChart, x: number): string {
  return chart.categories?.[x] ?? formatNumber(x);
}

function colour(index: number): string {
  return palette[index % palette.length]!;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en");
  return String(Number(value.toPrecision(3)));
}

function escape(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
