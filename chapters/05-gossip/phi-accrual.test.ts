import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { measureThresholds, thresholds } from "./phi-accrual.measure.js";
import { ArrivalWindow, PhiAccrualDetector, phiExponential, phiNormal } from "./phi-accrual.js";

// Exercise 5.3 — the phi accrual failure detector. Run: npm run workbook -- test 5.3
//
// The published values below come from three places, cited where they are used:
// - Akka's PhiAccrualFailureDetectorSpec and AccrualFailureDetectorSpec (akka/akka, akka-remote
//   and akka-cluster tests), which check Akka's logistic approximation;
// - the standard normal distribution the paper models intervals with (Hayashibara et al.
//   2004, section 4), whose table values Akka's spec checks its approximation against;
// - Cassandra's FailureDetector (org.apache.cassandra.gms), phi = elapsed / mean × 1/ln 10.

/** What phi says about P(later): phi = −log10(1 − F), so F = 1 − 10^−phi. */
const cumulative = (phi: number): number => 1 - 10 ** -phi;

/** A detector fed heartbeats at `times` (ms). */
function fedAt(times: number[], options: ConstructorParameters<typeof PhiAccrualDetector>[0] = {}) {
  const detector = new PhiAccrualDetector(options);
  for (const time of times) detector.heartbeat(time);
  return detector;
}

/** Running sums of intervals: heartbeat times from the gaps between them, starting at 0. */
function timesFromIntervals(intervals: number[]): number[] {
  const times = [0];
  for (const interval of intervals) times.push(times.at(-1)! + interval);
  return times;
}

describe("5.3 phi accrual: the formula", () => {
  test("phi matches the normal distribution the paper models intervals with", () => {
    // Standard normal table values, as Akka's spec checks them: with mean 0 and deviation 10,
    // 6 ms is 0.6 deviations, where F = 0.7257; 15 ms is 1.5 deviations, F = 0.9332; and so on.
    const table: Array<[elapsedMs: number, cumulative: number, tolerance: number]> = [
      [0, 0.5, 0.001],
      [6, 0.7257, 0.001],
      [15, 0.9332, 0.001],
      [20, 0.97725, 0.001],
      [25, 0.99379, 0.001],
      [35, 0.99977, 0.001],
      [40, 0.99997, 0.0001],
    ];
    for (const [elapsedMs, expected, tolerance] of table) {
      const phi = phiNormal(elapsedMs, 0, 10);
      expect(
        Math.abs(cumulative(phi) - expected),
        `phiNormal(${elapsedMs}, mean 0, deviation 10) = ${phi}, which means F = ${cumulative(phi)}; the normal distribution has F = ${expected} there`,
      ).toBeLessThanOrEqual(tolerance);
    }
    const phi = phiNormal(22, 20, 3);
    expect(
      Math.abs(cumulative(phi) - 0.7475),
      `phiNormal(22, mean 20, deviation 3) = ${phi}; the normal distribution has F = 0.7475 two thirds of a deviation above the mean`,
    ).toBeLessThanOrEqual(0.001);
  });

  test("phi matches the values Akka publishes for its approximation", () => {
    // Akka's "return realistic phi values": mean 1000 ms, deviation 100 ms.
    const published: Array<[elapsedMs: number, phi: number]> = [
      [0, 0.0],
      [500, 0.1],
      [1000, 0.3],
      [1200, 1.6],
      [1400, 4.7],
      [1600, 10.8],
      [1700, 15.3],
    ];
    for (const [elapsedMs, expected] of published) {
      const phi = phiNormal(elapsedMs, 1000, 100);
      expect(
        Math.abs(phi - expected),
        `phiNormal(${elapsedMs}, mean 1000, deviation 100) should be ${expected} ± 0.1 (Akka's published value), got ${phi}`,
      ).toBeLessThanOrEqual(0.1);
    }
    expect(
      phiNormal(1100, 1000, 500),
      "the same lateness is less surprising when intervals vary more: a larger deviation must give a lower phi",
    ).toBeLessThan(phiNormal(1100, 1000, 100));
  });

  test("phi stays finite and exact far into the tail, and is zero long before the mean", () => {
    // Akka's "handle outliers without losing precision or hitting exceptions".
    const far = phiNormal(10, 0, 1);
    expect(
      Number.isFinite(far),
      `ten deviations late, phi must be a finite number (compute P(later) directly, not as 1 − F), got ${far}`,
    ).toBe(true);
    expect(
      Math.abs(far - 38),
      `ten deviations late, Akka's approximation gives phi = 38 ± 1, got ${far}`,
    ).toBeLessThanOrEqual(1);
    const early = phiNormal(-25, 0, 1);
    expect(early, "25 deviations early, phi must be 0, not NaN or negative").toBeCloseTo(0, 6);
    expect(early, "phi is never negative").toBeGreaterThanOrEqual(0);
  });

  test("phi grows with every millisecond of silence", () => {
    // Akka checks its approximation is strictly increasing from 0 to 4 deviations.
    for (let elapsedMs = 0; elapsedMs < 40; elapsedMs++) {
      const [now, next] = [phiNormal(elapsedMs, 0, 10), phiNormal(elapsedMs + 1, 0, 10)];
      expect(
        next,
        `phi at ${elapsedMs + 1} ms (${next}) must be larger than at ${elapsedMs} ms (${now}), with mean 0 and deviation 10`,
      ).toBeGreaterThan(now);
    }
  });

  test("Cassandra's exponential phi reads only the mean", () => {
    // Cassandra: phi = PHI_FACTOR × elapsed / mean, PHI_FACTOR = 1 / ln 10 ≈ 0.434, so with
    // 1 s heartbeats its default threshold of 8 is reached after 8 × ln 10 ≈ 18.4 s.
    const cases: Array<[elapsedMs: number, meanMs: number, phi: number]> = [
      [0, 1000, 0],
      [1000, 1000, 0.4343],
      [2303, 1000, 1.0002],
      [18421, 1000, 8.0001],
      [500, 250, 0.8686],
    ];
    for (const [elapsedMs, meanMs, expected] of cases) {
      const phi = phiExponential(elapsedMs, meanMs);
      expect(
        Math.abs(phi - expected),
        `phiExponential(${elapsedMs}, mean ${meanMs}) should be ${expected} (elapsed / mean / ln 10), got ${phi}`,
      ).toBeLessThanOrEqual(0.001);
    }
  });
});

describe("5.3 phi accrual: the arrival window", () => {
  test("the window's mean and variance are those of its intervals", () => {
    // Akka's "calculate correct mean and variance" (population variance, divided by the count).
    const window = new ArrivalWindow(20);
    for (const interval of [100, 200, 125, 340, 130]) window.add(interval);
    expect(window.count, "five intervals were added to a window of 20").toBe(5);
    expect(window.mean, "the mean of 100, 200, 125, 340 and 130").toBeCloseTo(179, 5);
    expect(
      window.variance,
      "the population variance of 100, 200, 125, 340 and 130 (divide by 5, not 4)",
    ).toBeCloseTo(7584, 5);
    expect(window.stdDeviation, "the standard deviation is the root of the variance").toBeCloseTo(
      Math.sqrt(7584),
      5,
    );
    const one = new ArrivalWindow(600);
    one.add(1000);
    expect(one.variance, "one interval has a variance of 0").toBeCloseTo(0, 5);
  });

  test("a full window forgets its oldest interval", () => {
    // Akka's "be capped by the specified maxSampleSize".
    const window = new ArrivalWindow(3);
    for (const interval of [100, 110, 90]) window.add(interval);
    expect(window.mean, "mean of 100, 110, 90").toBeCloseTo(100, 5);
    expect(window.variance, "variance of 100, 110, 90").toBeCloseTo(66.6666667, 5);
    window.add(140);
    expect(window.count, "a window of 3 holds at most 3 intervals").toBe(3);
    expect(window.mean, "after adding 140, the window holds 110, 90, 140").toBeCloseTo(
      113.333333,
      5,
    );
    expect(window.variance, "variance of 110, 90, 140").toBeCloseTo(422.222222, 5);
    window.add(80);
    expect(window.mean, "after adding 80, the window holds 90, 140, 80").toBeCloseTo(103.333333, 5);
    expect(window.variance, "variance of 90, 140, 80").toBeCloseTo(688.88888889, 5);
  });
});

describe("5.3 phi accrual: the detector", () => {
  test("phi is zero before the first heartbeat", () => {
    const detector = new PhiAccrualDetector();
    expect(detector.phi(0), "no heartbeat yet: nothing to be surprised about").toBe(0);
    expect(detector.phi(1_000_000), "still no heartbeat, much later").toBe(0);
    expect(detector.isAvailable(1_000_000), "a node never heard of is not suspected").toBe(true);
  });

  test("after one heartbeat, phi follows the first-heartbeat estimate", () => {
    // Akka's "return phi based on guess when only one heartbeat": an estimate of 1 s with a
    // deviation of a quarter of it.
    const detector = fedAt([0], { firstHeartbeatEstimateMs: 1000 });
    const [at1, at2, at3] = [detector.phi(1000), detector.phi(2000), detector.phi(3000)];
    expect(
      Math.abs(at1 - 0.3),
      `1 s after the only heartbeat, phi should be 0.3 ± 0.2, got ${at1}`,
    ).toBeLessThanOrEqual(0.2);
    expect(
      Math.abs(at2 - 4.5),
      `2 s after the only heartbeat, phi should be 4.5 ± 0.3 (4 deviations of 250 ms late), got ${at2}`,
    ).toBeLessThanOrEqual(0.3);
    expect(at3, `3 s after the only heartbeat, phi should be above 15, got ${at3}`).toBeGreaterThan(
      15,
    );
  });

  test("a node that stops sending heartbeats is suspected, and available again when they resume", () => {
    // Akka's "mark node as dead if heartbeat are missed" and "mark node as available if it
    // starts heartbeat again after being marked dead".
    const detector = fedAt([0, 1000, 1100], { threshold: 3, minStdDeviationMs: 10 });
    expect(detector.isAvailable(1200), "100 ms after a heartbeat, the node is available").toBe(
      true,
    );
    expect(
      detector.isAvailable(8200),
      `7.1 s after the last heartbeat (intervals were 1000 and 100 ms), phi = ${detector.phi(8200)} must reach the threshold 3`,
    ).toBe(false);
    for (const time of [8300, 9300, 9400]) detector.heartbeat(time);
    expect(
      detector.isAvailable(9500),
      `heartbeats resumed at 8300, 9300 and 9400 ms; at 9500 ms the node must be available again (phi = ${detector.phi(9500)})`,
    ).toBe(true);
  });

  test("perfectly regular heartbeats use the minimum deviation, never a deviation of zero", () => {
    const detector = fedAt(timesFromIntervals(Array(10).fill(1000)), { minStdDeviationMs: 100 });
    const last = 10 * 1000;
    for (const lateMs of [0, 1, 100, 200, 400, 600]) {
      const phi = detector.phi(last + 1000 + lateMs);
      expect(
        Number.isNaN(phi),
        `intervals of exactly 1000 ms have a deviation of 0; phi ${lateMs} ms late must not be NaN`,
      ).toBe(false);
      expect(
        phi,
        `${lateMs} ms late after perfectly regular heartbeats, phi must be finite (use minStdDeviationMs)`,
      ).toBeLessThan(Infinity);
    }
    // 200 ms late is two minimum deviations: Akka's table gives 1.6 there.
    expect(
      Math.abs(detector.phi(last + 1200) - 1.6),
      `200 ms late with a minimum deviation of 100 ms, phi should be 1.6 ± 0.1, got ${detector.phi(last + 1200)}`,
    ).toBeLessThanOrEqual(0.1);
  });

  test("an acceptable pause is forgiven, and a longer one is not", () => {
    // Akka's "accept some configured missing heartbeats" and "fail after configured acceptable
    // missing heartbeats", with an acceptable pause of 3 s.
    const options = { acceptablePauseMs: 3000, minStdDeviationMs: 10 };
    const forgiven = fedAt([0, 1000, 2000, 3000], options);
    expect(
      forgiven.isAvailable(7000),
      `a 4 s gap after 1 s heartbeats, with 3 s of acceptable pause: phi = ${forgiven.phi(7000)} must stay below 8`,
    ).toBe(true);
    const failed = fedAt([0, 1000, 2000, 3000, 4000, 5000, 6000], options);
    expect(failed.isAvailable(6500), "half a second after a heartbeat, the node is available").toBe(
      true,
    );
    expect(
      failed.isAvailable(11000),
      `a 5 s gap is longer than 1 s heartbeats plus 3 s of acceptable pause: phi = ${failed.phi(11000)} must reach 8`,
    ).toBe(false);
  });

  test("the detector forgets intervals older than its window", () => {
    // Akka's "use maxSampleSize heartbeats": once the 100 ms intervals have left a window of 3,
    // 1 s heartbeats look exactly as regular as the 100 ms ones did.
    const detector = new PhiAccrualDetector({ windowSize: 3, minStdDeviationMs: 10 });
    for (const time of [0, 100, 200, 300]) detector.heartbeat(time);
    const fast = detector.phi(400);
    for (const time of [1000, 2000, 3000, 4000]) detector.heartbeat(time);
    const slow = detector.phi(5000);
    expect(
      Math.abs(slow - fast),
      `with a window of 3, phi one interval after the last of three 1 s heartbeats (${slow}) should equal phi one interval after the last of three 100 ms heartbeats (${fast})`,
    ).toBeLessThanOrEqual(0.001);
    expect(detector.window.count, "the window holds at most 3 intervals").toBe(3);
    expect(detector.window.mean, "the window holds the three latest 1000 ms intervals").toBe(1000);
  });

  test("a duplicated or reordered heartbeat adds no interval", () => {
    const detector = fedAt([0, 1000, 2000, 3000]);
    detector.heartbeat(3000); // the network delivered the last heartbeat twice
    detector.heartbeat(2500); // a delayed heartbeat from before the last one
    expect(
      detector.window.count,
      "heartbeats at 0, 1000, 2000 and 3000 ms, then 3000 again and a late 2500: only the three 1 s intervals count",
    ).toBe(3);
    expect(detector.window.mean, "no interval of 0 or −500 ms may enter the window").toBe(1000);
    expect(
      detector.phi(4000),
      "the late heartbeat must not move the time of the last heartbeat backwards or forwards",
    ).toBeCloseTo(phiNormal(1000, 1000, 100), 6);
  });

  test("Cassandra's model: a detector with exponential intervals reads only their mean", () => {
    const regular = fedAt([0, 1000, 2000, 3000], { distribution: "exponential" });
    const jittery = fedAt([0, 500, 2000, 3000], { distribution: "exponential" });
    expect(
      regular.phi(3000 + 18421),
      "1 s heartbeats, 18.421 s of silence: Cassandra's phi is 8",
    ).toBeCloseTo(8, 2);
    expect(
      jittery.phi(5000),
      "intervals of 500, 1500 and 1000 ms have the same mean as three of 1000 ms, so the same phi",
    ).toBeCloseTo(regular.phi(5000), 6);
    const paused = fedAt([0, 1000, 2000], {
      distribution: "exponential",
      acceptablePauseMs: 1000,
    });
    expect(
      paused.phi(2000 + 2000),
      "an acceptable pause of 1 s is added to the mean in this model too: 2 s of silence over a 2 s expectation",
    ).toBeCloseTo(phiExponential(2000, 2000), 6);
  });

  test("phi is never NaN or negative and never falls during a silence, on random heartbeats", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "heartbeats");
      const detector = new PhiAccrualDetector({
        windowSize: random.int(1, 20),
        minStdDeviationMs: random.pick([1, 10, 100]),
        acceptablePauseMs: random.pick([0, 0, 500]),
      });
      let timeMs = 0;
      for (let beat = 0; beat < 60; beat++) {
        // Regular, jittery, bursty and duplicated heartbeats, and now and then a long silence.
        const gap = random.pick([
          0,
          1,
          1000,
          1000,
          1000,
          random.int(0, 3000),
          random.int(0, 20_000),
        ]);
        timeMs += gap;
        detector.heartbeat(timeMs);
        let previous = -1;
        for (const afterMs of [0, 1, 10, 100, 1000, 5000, 30_000, 1_000_000]) {
          const phi = detector.phi(timeMs + afterMs);
          if (!(phi >= 0) || phi < previous) {
            expect.fail(
              `phi ${afterMs} ms after the heartbeat at ${timeMs} ms was ${phi}` +
                (phi < previous ? `, lower than ${previous} a moment earlier` : "") +
                `: phi must be a number >= 0 that never falls while no heartbeat arrives`,
            );
          }
          previous = phi;
        }
        // Asking about a moment before the last heartbeat is not an error, and not suspicious.
        const before = detector.phi(timeMs - 500);
        if (!(before >= 0)) expect.fail(`phi 500 ms before the last heartbeat was ${before}`);
      }
    });
  });
});

describe("5.3 phi accrual: the measurement", () => {
  test("a higher threshold gives fewer false suspicions and slower detection", () => {
    const results = measureThresholds(2);
    for (const distribution of ["normal", "exponential"] as const) {
      const rows = results.filter((row) => row.distribution === distribution);
      expect(
        rows.map((row) => row.threshold),
        `one row per threshold (${distribution})`,
      ).toEqual(thresholds);
      for (let index = 1; index < rows.length; index++) {
        const [lower, higher] = [rows[index - 1]!, rows[index]!];
        expect(
          higher.falseSuspicionsPerThousand,
          `${distribution}: threshold ${higher.threshold} should not suspect a live node more often than ${lower.threshold}`,
        ).toBeLessThanOrEqual(lower.falseSuspicionsPerThousand);
        expect(
          higher.detectionMsMean,
          `${distribution}: threshold ${higher.threshold} should not detect a crash sooner than ${lower.threshold}`,
        ).toBeGreaterThanOrEqual(lower.detectionMsMean);
      }
    }
    const normal = results.filter((row) => row.distribution === "normal");
    expect(
      normal[0]!.falseSuspicionsPerThousand,
      "at threshold 1 a jittery network must fool the normal model now and then",
    ).toBeGreaterThan(0);
    // The notes derive the exponential model's detection time: phi reaches T after
    // T × ln 10 × (mean interval), plus the last heartbeat's delay (about 140 ms on average, but
    // up to 1.7 s), which matters little from threshold 5 on.
    for (const row of results.filter((each) => each.distribution === "exponential")) {
      if (row.threshold < 5) continue;
      const derivedMs = row.threshold * Math.LN10 * 1000 + 140;
      expect(
        Math.abs(row.detectionMsMean - derivedMs) / derivedMs,
        `exponential model, threshold ${row.threshold}: mean detection ${row.detectionMsMean} ms, expected about ${Math.round(derivedMs)} ms`,
      ).toBeLessThan(0.1);
    }
  });
});
