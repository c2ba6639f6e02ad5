import { describe, expect, test } from "vitest";
import { checkMeasurement, quantile } from "../../harness/metrics/measurement.js";
import { renderChartSvg } from "../../harness/metrics/svg-chart.js";
import measure, {
  measureStrategies,
  runStrategy,
  type StrategyRun,
  type Strategy,
} from "./replication.measure.js";

// Exercise 4.5 — one workload, four strategies: a measurement of your 4.1, 4.3 and 4.5.
// See the numbers with: npm run workbook -- measure 4.5

const seeds = 2;
let cached: Record<Strategy, StrategyRun> | undefined;
/** Measured once for the whole file (about two seconds), the first time a test asks. */
function results(): Record<Strategy, StrategyRun> {
  cached ??= measureStrategies(seeds);
  return cached;
}
const p50 = (run: StrategyRun) => quantile(run.writeLatenciesMs, 0.5);

describe("4.5 measurement: the numbers themselves", () => {
  test("the measurement reports every strategy with well-formed numbers and drawable charts", () => {
    const measurement = measure({ seeds: 1 });
    checkMeasurement(measurement, "replication.measure.ts");
    const [table] = measurement.tables;
    expect(
      table!.rows.map((row) => row[0]),
      "one row per strategy",
    ).toEqual(["synchronous", "asynchronous", "leaderless", "multi-leader"]);
    for (const chart of measurement.charts)
      expect(() => renderChartSvg(chart), `chart ${chart.name} should draw`).not.toThrow();
    for (const [strategy, run] of Object.entries(results())) {
      expect(
        run.writeLatenciesMs.length,
        `${strategy}: writes should be acknowledged before the partition`,
      ).toBeGreaterThan(0);
      expect(p50(run), `${strategy}: p50 ≤ p99`).toBeLessThanOrEqual(
        quantile(run.writeLatenciesMs, 0.99),
      );
      expect(
        run.availabilityDuringPartition,
        `${strategy}: availability is a fraction`,
      ).toBeGreaterThanOrEqual(0);
      expect(run.availabilityDuringPartition).toBeLessThanOrEqual(1);
      expect(run.staleReads, `${strategy}: stale reads are some of the reads`).toBeLessThanOrEqual(
        run.reads,
      );
    }
  });

  test("the same seed gives the same measurement", () => {
    for (const strategy of ["asynchronous", "leaderless"] as const)
      expect(runStrategy(strategy, 7), `${strategy} run twice with seed 7`).toEqual(
        runStrategy(strategy, 7),
      );
  });
});

describe("4.5 measurement: what the notes predict", () => {
  test("synchronous replication loses no acknowledged write when the leader crashes for good", () => {
    expect(
      results().synchronous.acknowledgedWritesLost,
      "every acknowledged write is on every follower",
    ).toBe(0);
  });

  test("asynchronous replication acknowledges writes faster than synchronous", () => {
    const { synchronous, asynchronous } = results();
    expect(
      p50(asynchronous),
      `p50 write latency: asynchronous ${p50(asynchronous)} ms, synchronous ${p50(synchronous)} ms`,
    ).toBeLessThan(p50(synchronous));
  });

  test("reads are never stale with R + W greater than N, nor through a synchronous leader", () => {
    const { synchronous, leaderless } = results();
    expect(
      leaderless.staleReads,
      "R = 2, W = 2, N = 3: every read quorum overlaps every write quorum",
    ).toBe(0);
    expect(
      synchronous.staleReads,
      "a synchronous leader with a lease serves only committed, current state",
    ).toBe(0);
  });

  test("leaderless quorums stay available through a minority partition; single-leader failover does not", () => {
    const { synchronous, leaderless } = results();
    expect(
      leaderless.availabilityDuringPartition,
      "with one of three replicas cut off, W = 2 and R = 2 are still reachable",
    ).toBeGreaterThanOrEqual(0.95);
    expect(
      synchronous.availabilityDuringPartition,
      "a cut-off leader means no writes until failover, and synchronous writes then wait for the cut-off follower",
    ).toBeLessThan(leaderless.availabilityDuringPartition);
  });
});
