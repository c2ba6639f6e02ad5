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
 * It is computed from the small tail directly, never as 1 − (something close to 1), which
 * rounds to 0 once y passes about 8 and turns phi into Infinity.
 */
export function phiNormal(elapsedMs: number, meanMs: number, stdDeviationMs: number): number {
  const y = (elapsedMs - meanMs) / stdDeviationMs;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  // Later than the mean, e is small and P(later) = e / (1 + e) keeps its precision; earlier
  // than the mean, e may overflow to Infinity, and 1 − 1/(1 + e) is the stable form.
  const later = elapsedMs > meanMs ? e / (1 + e) : 1 - 1 / (1 + e);
  return Math.max(0, -Math.log10(later));
}

/**
 * Phi for an exponential model of the next interval, as Cassandra computes it:
 * P(later) = e^(−elapsed/mean), so phi = elapsed / (mean · ln 10). Only the mean matters.
 */
export function phiExponential(elapsedMs: number, meanMs: number): number {
  return Math.max(0, elapsedMs / (meanMs * Math.LN10));
}

/**
 * The latest `size` intervals between heartbeats, with their mean and (population) variance.
 * Adding to a full window forgets the oldest interval.
 */
export class ArrivalWindow {
  readonly #size: number;
  readonly #intervals: number[] = [];
  #sum = 0;
  #sumOfSquares = 0;

  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`Expected a window size that is a whole number >= 1, got ${size}`);
    this.#size = size;
  }

  /** How many intervals the window holds now. */
  get count(): number {
    return this.#intervals.length;
  }

  /** Adds one interval, in ms, forgetting the oldest if the window is full. */
  add(intervalMs: number): void {
    if (!Number.isFinite(intervalMs) || intervalMs < 0)
      throw new RangeError(`Expected an interval that is a finite number >= 0, got ${intervalMs}`);
    this.#intervals.push(intervalMs);
    this.#sum += intervalMs;
    this.#sumOfSquares += intervalMs * intervalMs;
    if (this.#intervals.length > this.#size) {
      const oldest = this.#intervals.shift()!;
      this.#sum -= oldest;
      this.#sumOfSquares -= oldest * oldest;
    }
  }

  /** The mean interval, in ms; 0 for an empty window. */
  get mean(): number {
    return this.#intervals.length === 0 ? 0 : this.#sum / this.#intervals.length;
  }

  /**
   * The population variance (dividing by the count, as Akka does), in ms²; 0 for an empty
   * window. Running sums can leave a tiny negative rounding error, so it is clamped at 0.
   */
  get variance(): number {
    if (this.#intervals.length === 0) return 0;
    const mean = this.mean;
    return Math.max(0, this.#sumOfSquares / this.#intervals.length - mean * mean);
  }

  get stdDeviation(): number {
    return Math.sqrt(this.variance);
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
  readonly #threshold: number;
  readonly #minStdDeviationMs: number;
  readonly #acceptablePauseMs: number;
  readonly #firstHeartbeatEstimateMs: number;
  readonly #distribution: "normal" | "exponential";
  readonly #window: ArrivalWindow;
  #lastHeartbeatMs: number | undefined;

  constructor(options: PhiAccrualOptions = {}) {
    this.#threshold = positive("threshold", options.threshold ?? 8);
    this.#minStdDeviationMs = positive("minStdDeviationMs", options.minStdDeviationMs ?? 100);
    this.#acceptablePauseMs = atLeastZero("acceptablePauseMs", options.acceptablePauseMs ?? 0);
    this.#firstHeartbeatEstimateMs = positive(
      "firstHeartbeatEstimateMs",
      options.firstHeartbeatEstimateMs ?? 1000,
    );
    this.#distribution = options.distribution ?? "normal";
    this.#window = new ArrivalWindow(options.windowSize ?? 100);
  }

  /** The intervals measured so far, as the formula reads them. */
  get window(): ArrivalWindow {
    return this.#window;
  }

  /** Records a heartbeat that arrived at `timeMs`. */
  heartbeat(timeMs: number): void {
    if (this.#lastHeartbeatMs !== undefined) {
      // A duplicate or reordered heartbeat says nothing new about the gap between heartbeats;
      // recording it as an interval of 0 would make the next normal gap look alarming.
      if (timeMs <= this.#lastHeartbeatMs) return;
      this.#window.add(timeMs - this.#lastHeartbeatMs);
    }
    this.#lastHeartbeatMs = timeMs;
  }

  /** How suspicious the silence is at `timeMs`: 0 means not at all; it grows without bound. */
  phi(timeMs: number): number {
    if (this.#lastHeartbeatMs === undefined) return 0;
    const elapsedMs = timeMs - this.#lastHeartbeatMs;
    const measured = this.#window.count > 0;
    const meanMs = measured ? this.#window.mean : this.#firstHeartbeatEstimateMs;
    const stdDeviationMs = measured
      ? this.#window.stdDeviation
      : this.#firstHeartbeatEstimateMs / 4;
    const expectedMs = meanMs + this.#acceptablePauseMs;
    if (this.#distribution === "exponential") return phiExponential(elapsedMs, expectedMs);
    return phiNormal(elapsedMs, expectedMs, Math.max(stdDeviationMs, this.#minStdDeviationMs));
  }

  /** Whether the node counts as alive at `timeMs`: phi is below the threshold. */
  isAvailable(timeMs: number): boolean {
    return this.phi(timeMs) < this.#threshold;
  }
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`Expected ${name} to be a finite number > 0, got ${value}`);
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0))
    throw new RangeError(`Expected ${name} to be a finite number >= 0, got ${value}`);
  return value;
}
