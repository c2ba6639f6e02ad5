/**
 * What a measurement exercise reports: tables a learner reads in the terminal and charts the
 * workbook writes as SVG. A chapter declares a measurement in its chapter.json
 * (`"measure": "<file>.measure.ts"`); that module's default export returns a `Measurement`, and
 * `npm run workbook -- measure <exercise>` prints the tables and writes the charts.
 *
 * The shape is plain data so that tests can check the numbers a measurement produces without
 * rendering anything, and so that a run is a function of its seeds like every simulation.
 */

/** One table: a title, column headings and rows of cells already formatted for reading. */
export interface MeasurementTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** One line of a chart: a name for the legend and its points in chart units. */
export interface ChartSeries {
  name: string;
  points: Array<{ x: number; y: number }>;
}

/** A line or bar chart over numeric x values. */
export interface MeasurementChart {
  /** Becomes the SVG's file name: `<exercise id>-<name>.svg`. Kebab-case. */
  name: string;
  title: string;
  kind: "line" | "bar";
  xLabel: string;
  yLabel: string;
  /** Plot x on a logarithmic scale (base 10), for sweeps over N from 25 to 1,000, say. */
  logX?: boolean;
  /**
   * Names for the x values 0, 1, 2, …, printed under the axis instead of the numbers: for a bar
   * chart whose bars are strategies or settings rather than points on a scale.
   */
  categories?: string[];
  series: ChartSeries[];
}

export interface Measurement {
  /** A sentence or two saying what was measured and how (seeds, sizes, settings). */
  summary: string;
  tables: MeasurementTable[];
  charts: MeasurementChart[];
}

/** What a `*.measure.ts` module exports as its default. */
export type MeasureFunction = (options: MeasureOptions) => Measurement;

export interface MeasureOptions {
  /** How many seeds each point averages over; a measurement states its own default. */
  seeds?: number;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of `values` by the nearest-rank method, which returns a value
 * that occurred rather than an interpolation between two: p50 of [1, 2, 3, 100] is 2.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("Expected at least one value to take a quantile of");
  if (!(q >= 0 && q <= 1)) throw new Error(`Expected a quantile between 0 and 1, got ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/** The arithmetic mean of `values`. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error("Expected at least one value to average");
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * Throws, naming `source` and the field, when `value` is not a `Measurement`: a measure module
 * that returns the wrong shape should say so, not draw an empty chart.
 */
export function checkMeasurement(value: unknown, source: string): asserts value is Measurement {
  const fail = (what: string): never => {
    throw new TypeError(`${source} returned a measurement whose ${what}`);
  };
  const measurement = value as Partial<Measurement> | null;
  if (typeof measurement !== "object" || measurement === null)
    fail(`value is not an object: ${String(value)}`);
  if (typeof measurement!.summary !== "string") fail("summary is not a string");
  if (!Array.isArray(measurement!.tables)) fail("tables is not an array");
  if (!Array.isArray(measurement!.charts)) fail("charts is not an array");
  for (const [index, table] of measurement!.tables!.entries()) {
    if (typeof table.title !== "string") fail(`tables[${index}].title is not a string`);
    if (!Array.isArray(table.columns)) fail(`tables[${index}].columns is not an array`);
    for (const [rowIndex, row] of (table.rows ?? []).entries())
      if (!Array.isArray(row) || row.length !== table.columns.length)
        fail(
          `tables[${index}] ("${table.title}") row ${rowIndex} has ${Array.isArray(row) ? row.length : "no"} cells for ${table.columns.length} columns`,
        );
  }
  for (const [index, chart] of measurement!.charts!.entries()) {
    if (typeof chart.name !== "string" || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(chart.name))
      fail(`charts[${index}].name is not kebab-case: ${JSON.stringify(chart.name)}`);
    if (chart.kind !== "line" && chart.kind !== "bar")
      fail(`charts[${index}].kind is ${JSON.stringify(chart.kind)}, not "line" or "bar"`);
    if (!Array.isArray(chart.series)) fail(`charts[${index}].series is not an array`);
  }
}
