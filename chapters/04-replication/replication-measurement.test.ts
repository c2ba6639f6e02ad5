import { describe, expect, test } from "vitest";
import { checkMeasurement, quantile } from "../../harness/metrics/measurement.js";
import { renderChartSvg } from "../../harness/metrics/svg-chart.js";
import {
  poolRuns,
  presentMeasurement,
  runStrategy,
  strategies,
  type StrategyRun,
  type Strategy,
} from "./replication.measure.js";
import {
  acknowledgedWritesLost,
  availability,
  latencyQuantilesMs,
  messagesPerWrite,
  staleReads,
  writeLatenciesMs,
  type MeasuredRequest,
} from "./replication-metrics.js";

// Exercise 4.5 — one workload, four strategies: your replication-metrics.ts measuring your
// 4.1, 4.3 and 4.4. See the numbers with: npm run workbook -- measure 4.5

const seeds = 2;
let cached: Record<Strategy, StrategyRun[]> | undefined;
/** Each strategy's run on seeds 1 and 2, measured once for the whole file (about a second). */
function runs(): Record<Strategy, StrategyRun[]> {
  cached ??= Object.fromEntries(
    strategies.map((strategy) => [
      strategy,
      Array.from({ length: seeds }, (_, index) => runStrategy(strategy, index + 1)),
    ]),
  ) as Record<Strategy, StrategyRun[]>;
  return cached;
}
/** The runs pooled over the seeds, as `workbook measure 4.5 --seeds 2` pools them. */
function results(): Record<Strategy, StrategyRun> {
  return Object.fromEntries(
    strategies.map((strategy) => [strategy, poolRuns(runs()[strategy])]),
  ) as Record<Strategy, StrategyRun>;
}
const p50 = (run: StrategyRun) => quantile(run.writeLatenciesMs, 0.5);

// Small hand-made histories, each with numbers worked out on paper in its comments.
interface Request extends MeasuredRequest {
  id: string;
  /** For a read: the ids of the writes it saw. */
  saw: string[];
}
type Shape = Partial<Omit<Request, "id" | "kind" | "requestMs">>;
function write(id: string, requestMs: number, answeredMs: number | undefined, shape: Shape = {}) {
  return request("write", id, requestMs, answeredMs, shape);
}
function read(id: string, requestMs: number, answeredMs: number | undefined, shape: Shape = {}) {
  return request("read", id, requestMs, answeredMs, shape);
}
function request(
  kind: Request["kind"],
  id: string,
  requestMs: number,
  answeredMs: number | undefined,
  shape: Shape,
): Request {
  return {
    kind,
    id,
    key: "x",
    requestMs,
    lastSentMs: requestMs,
    answeredMs,
    ok: answeredMs !== undefined,
    saw: [],
    ...shape,
  };
}
/** Latencies smallest first: the functions may return them in any order. */
const inOrder = (latenciesMs: number[]) => [...latenciesMs].sort((a, b) => a - b);
/** The same numbers in a fixed scrambled order: a measurement sees latencies as they finish. */
function scrambled(values: number[]): number[] {
  return values
    .map((value, index) => ({ value, key: (index * 7919) % 1009 }))
    .sort((a, b) => a.key - b.key)
    .map((each) => each.value);
}

describe("4.5 measurement: the arithmetic, rule by rule (replication-metrics.ts)", () => {
  test("a write's latency runs from the client's first request to its acknowledgement", () => {
    // Sent at 10 ms, resent to the new leader at 160 ms, acknowledged at 175 ms: the client
    // waited 165 ms, not the 15 ms of its last attempt.
    const requests = [
      write("w1", 10, 175, { lastSentMs: 160 }),
      write("w2", 20, 32, { lastSentMs: 20 }),
    ];
    expect(inOrder(writeLatenciesMs(requests, 0, 1_000)), "latencies of w1 and w2").toEqual([
      12, 165,
    ]);
  });

  test("write latency counts only the acknowledged writes requested in the window", () => {
    const requests = [
      write("before", 90, 120), // requested before the window: not counted
      write("in", 100, 130), // 30 ms
      read("read", 110, 115), // a read: not a write
      write("error", 120, 125, { ok: false }), // answered with an error: not acknowledged
      write("never", 130, undefined), // never answered
      write("late", 190, 260), // requested in the window, answered after it: 70 ms
      write("after", 200, 210), // requested when the window has closed
    ];
    expect(inOrder(writeLatenciesMs(requests, 100, 200)), "window [100, 200) ms").toEqual([30, 70]);
  });

  test("p50 is the nearest-rank median of the latencies, not their mean", () => {
    // Nearest rank: the ⌈q·n⌉-th smallest. n = 5: the 3rd; n = 4: the 2nd; n = 1: the only one.
    expect(latencyQuantilesMs([100, 1, 4, 3, 2]).p50Ms, "p50 of 1, 2, 3, 4, 100").toBe(3);
    expect(latencyQuantilesMs([100, 2, 1, 3]).p50Ms, "p50 of 1, 2, 3, 100").toBe(2);
    expect(latencyQuantilesMs([7]).p50Ms, "p50 of one latency").toBe(7);
    expect(latencyQuantilesMs([]), "no latencies: no quantiles").toEqual({
      p50Ms: NaN,
      p99Ms: NaN,
    });
  });

  test("p99 is the nearest-rank 99th percentile of the latencies, not the maximum", () => {
    // 1 to 200 ms: the ⌈0.99 × 200⌉ = 198th smallest is 198 ms; the two slowest are the 1 %.
    const oneToTwoHundred = scrambled(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(latencyQuantilesMs(oneToTwoHundred), "p50 and p99 of 1 to 200 ms").toEqual({
      p50Ms: 100,
      p99Ms: 198,
    });
    // 1 to 160 ms: 0.99 × 160 = 158.4, so the 159th smallest (rounding would give the 158th).
    const oneToHundredSixty = scrambled(Array.from({ length: 160 }, (_, index) => index + 1));
    expect(latencyQuantilesMs(oneToHundredSixty).p99Ms, "p99 of 1 to 160 ms").toBe(159);
    // Fewer than 100 latencies: the 99th percentile is the slowest.
    expect(latencyQuantilesMs([5, 9, 1]).p99Ms, "p99 of 1, 5, 9").toBe(9);
  });

  test("quantiles sort the latencies as numbers, whatever order they arrive in", () => {
    // As numbers: 2, 9, 10, 30, 100 (p50 is 10). As text "10" < "100" < "2" < "30" < "9".
    expect(latencyQuantilesMs([9, 10, 100, 2, 30]).p50Ms, "p50 of 9, 10, 100, 2, 30").toBe(10);
    expect(latencyQuantilesMs([30, 2, 100, 10, 9]).p50Ms, "the same, in another order").toBe(10);
    const latencies = [9, 10, 100, 2, 30];
    latencyQuantilesMs(latencies);
    expect(latencies, "the caller's array is left as it was").toEqual([9, 10, 100, 2, 30]);
  });

  test("availability counts the writes requested during the partition, and only those", () => {
    // Before the partition every write succeeds; during it, two of four are acknowledged.
    const requests = [
      write("early1", 0, 10),
      write("early2", 50, 60),
      write("early3", 90, 95),
      write("p1", 100, 110),
      write("p2", 120, undefined),
      read("r", 130, 135), // a read: availability here is for writes
      write("p3", 150, undefined),
      write("p4", 199, 205), // requested in the window, acknowledged just after it
      write("after1", 200, 210),
      write("after2", 250, 260),
    ];
    expect(availability(requests, 100, 200, 500), "writes requested in [100, 200) ms").toBe(0.5);
    expect(availability(requests, 300, 400, 500), "no write requested: no data, not 100 %").toBe(
      NaN,
    );
  });

  test("availability counts a write acknowledged after the deadline, or answered with an error, as unavailable", () => {
    // Deadline 500 ms. In time: "fast" and "on-deadline". Not: "late", "error", "never".
    const requests = [
      write("fast", 100, 140),
      write("on-deadline", 110, 610),
      write("late", 120, 721),
      write("error", 130, 150, { ok: false }),
      write("never", 140, undefined),
    ];
    expect(availability(requests, 0, 1_000, 500), "2 of 5 acknowledged within 500 ms").toBe(0.4);
  });

  test("an acknowledged write is lost when no survivor holds it; a write never acknowledged is not", () => {
    const requests = [
      write("kept", 10, 20),
      write("lost", 30, 40),
      write("never", 50, undefined), // not on the survivor, but never promised
      write("error", 60, 70, { ok: false }), // answered with an error: never promised either
      read("r", 80, 90),
    ];
    const survivor = new Set(["kept"]);
    expect(
      acknowledgedWritesLost(requests, (each) => survivor.has(each.id)),
      "the survivor holds only kept",
    ).toBe(1);
  });

  test("a read is stale when it misses a write to its key acknowledged before the read began, and only then", () => {
    const requests = [
      write("w1", 0, 10),
      read("sees-w1", 20, 25, { saw: ["w1"] }),
      write("w2", 30, 45),
      read("during-w2", 35, 40, { saw: ["w1"] }), // w2 not yet acknowledged: concurrent
      read("as-w2-acked", 45, 48, { saw: ["w1"] }), // begun the instant w2 was acknowledged: concurrent
      write("w3", 50, undefined), // never acknowledged: nothing promised
      read("misses-w3", 60, 65, { saw: ["w1", "w2"] }),
      read("misses-w2", 70, 75, { saw: ["w1"] }), // stale: w2 was acknowledged at 45
      read("other-key", 80, 85, { key: "y" }), // no write to y
      read("failed", 90, undefined), // no answer, so nothing was read
      write("w4", 100, 105, { ok: false }), // answered with an error
      read("misses-w4", 110, 115, { saw: ["w1", "w2"] }),
      read("misses-both", 120, 125), // stale, and counted once although it misses two writes
    ];
    expect(
      staleReads(requests, (reader, writer) => reader.saw.includes(writer.id)),
      "misses-w2 and misses-both are stale",
    ).toBe(2);
  });

  test("messages per write divide every message by the writes acknowledged", () => {
    // 60 messages, heartbeats and reads included; 3 writes acknowledged of 5 attempted.
    const requests = [
      write("w1", 0, 10),
      write("w2", 20, 30),
      read("r1", 35, 40),
      write("never", 40, undefined),
      write("error", 50, 55, { ok: false }),
      read("r2", 60, 62),
      write("w3", 70, 80),
    ];
    expect(messagesPerWrite(60, requests), "60 messages for 3 acknowledged writes").toBe(20);
    expect(messagesPerWrite(60, [write("never", 0, undefined)]), "no write acknowledged").toBe(NaN);
  });
});

describe("4.5 measurement: the numbers themselves", () => {
  test("the measurement reports every strategy with well-formed numbers and drawable charts", () => {
    const measurement = presentMeasurement(results(), seeds);
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
      expect(runStrategy(strategy, 2), `${strategy} run again with seed 2`).toEqual(
        runs()[strategy][1],
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
