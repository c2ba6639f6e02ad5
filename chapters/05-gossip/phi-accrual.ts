import { todo } from "../../harness/index.js";

/**
 * Exercise 5.3 — the phi accrual failure detector (Hayashibara, Défago, Yared and Katayama,
 * "The φ Accrual Failure Detector", 2004), as Akka and Cassandra run it.
 *
 * A fixed timeout answers "dead or alive?" with a guess. An accrual detector answers "how
 * surprised should I be by this silence?" instead: it keeps the intervals between the last few
 * heartbeats, models the next interval as a normal distribution with their mean and standard
 * deviation, and reports
 *
 *     phi(t) = -log10(P(the next heartbeat comes later than t))
 *
 * so phi = 1 means a 10 % chance that a live node would be this late, phi = 2 a 1 % chance,
 * phi = 8 one in a hundred million. The caller picks the threshold that suits it.
 *
 * Everything here is pure: times are passed in (milliseconds, from one monotonic clock), so the
 * detector can be tested without a network and used inside any node.
 */

/** Settings of a detector; every field has the default shown. */
export interface PhiAccrualOptions {
  /** A node whose phi reaches this is suspected: `isAvailable` turns false. @default 8 */
  threshold?: number;
  /**
   * How many of the latest intervals the window keeps; older ones are forgotten, so the
   * detector adapts when the network changes. Akka and Cassandra keep 1,000. @default 100
   */
  windowSize?: number;
  /**
   * The smallest standard deviation used in the formula, in ms. Perfectly regular heartbeats
   * have a deviation of 0, which would make any lateness infinitely surprising. @default 100
   */
  minStdDeviationMs?: number;
  /**
   * Lateness to forgive, in ms: added to the mean interval, so a pause this long (a garbage
   * collection, say) is not suspicious. @default 0
   */
  acceptablePauseMs?: number;
  /**
   * What to assume before any interval has been measured: intervals of this length with a
   * standard deviation of a quarter of it (Akka's choice). @default 1000
   */
  firstHeartbeatEstimateMs?: number;
  /**
   * The model of the next interval: "normal" (the paper's and Akka's) or "exponential"
   * (Cassandra's, which reads only the mean). @default "normal"
   */
  distribution?: "normal" | "exponential";
}

/**
 * Phi for a normal model of the next interval, by the logistic approximation of the normal
 * distribution that Akka uses (Bowling, Khasawneh, Kaewkuekool and Cho, 2009): with
 * y = (elapsed − mean) / deviation, P(later) ≈ 1 / (1 + e^(y (1.5976 + 0.070566 y²))).
 *
 * Compute it from the small tail directly, never as 1 − (something close to 1), which rounds
 * to 0 once y passes about 8 and turns phi into Infinity. Never return a negative number.
 */
export function phiNormal(elapsedMs: number, meanMs: number, stdDeviationMs: number): number {
  return todo(
    "5.3",
    `phi for ${elapsedMs} ms of silence when intervals average ${meanMs} ms with deviation ${stdDeviationMs} ms (logistic approximation)`,
  );
}

/**
 * Phi for an exponential model of the next interval, as Cassandra computes it:
 * P(later) = e^(−elapsed/mean), so phi = elapsed / (mean · ln 10). Only the mean matters.
 */
export function phiExponential(elapsedMs: number, meanMs: number): number {
  return todo(
    "5.3",
    `Cassandra's phi for ${elapsedMs} ms of silence when intervals average ${meanMs} ms`,
  );
}

/**
 * The latest `size` intervals between heartbeats, with their mean and (population) variance.
 * Adding to a full window forgets the oldest interval.
 */
export class ArrivalWindow {
  constructor(size: number) {
    todo("5.3", `create a window that keeps the latest ${size} intervals`);
  }

  /** How many intervals the window holds now. */
  get count(): number {
    return todo("5.3", "return how many intervals the window holds");
  }

  /** Adds one interval, in ms, forgetting the oldest if the window is full. */
  add(intervalMs: number): void {
    todo("5.3", `add the interval ${intervalMs} ms, forgetting the oldest if the window is full`);
  }

  /** The mean interval, in ms; 0 for an empty window. */
  get mean(): number {
    return todo("5.3", "return the mean of the intervals in the window");
  }

  /** The population variance (dividing by the count, as Akka does), in ms²; 0 for an empty window. */
  get variance(): number {
    return todo("5.3", "return the population variance of the intervals in the window");
  }

  get stdDeviation(): number {
    return todo("5.3", "return the standard deviation of the intervals in the window");
  }
}

/**
 * A phi accrual failure detector for one monitored node. Feed it the arrival time of every
 * heartbeat (`heartbeat`); ask it how suspicious the silence is at any later time (`phi`).
 *
 * Rules:
 * 1. Before the first heartbeat, phi is 0: a node never heard of is not suspected yet.
 * 2. Each heartbeat after the first adds the interval since the previous one to the window.
 *    A heartbeat not later than the last one (a duplicate, or one the network reordered) adds
 *    nothing.
 * 3. With no interval measured yet, the model is `firstHeartbeatEstimateMs`, with a standard
 *    deviation of a quarter of it.
 * 4. phi(t) uses the time since the last heartbeat, the window's mean plus `acceptablePauseMs`,
 *    and its standard deviation, but never less than `minStdDeviationMs`.
 * 5. phi is never NaN, never negative, and never decreases while no heartbeat arrives.
 * 6. `isAvailable(t)` is phi(t) < threshold.
 */
export class PhiAccrualDetector {
  constructor(options: PhiAccrualOptions = {}) {
    todo("5.3", `create a detector with options ${JSON.stringify(options)} (see the defaults)`);
  }

  /** The intervals measured so far, as the formula reads them. */
  get window(): ArrivalWindow {
    return todo("5.3", "return the detector's arrival window");
  }

  /** Records a heartbeat that arrived at `timeMs`. */
  heartbeat(timeMs: number): void {
    todo("5.3", `rule 2: record a heartbeat that arrived at ${timeMs} ms`);
  }

  /** How suspicious the silence is at `timeMs`: 0 means not at all; it grows without bound. */
  phi(timeMs: number): number {
    return todo("5.3", `rules 1, 3, 4 and 5: phi at ${timeMs} ms`);
  }

  /** Whether the node counts as alive at `timeMs`: phi is below the threshold. */
  isAvailable(timeMs: number): boolean {
    return todo("5.3", `rule 6: is the node available at ${timeMs} ms?`);
  }
}
