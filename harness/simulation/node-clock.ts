/**
 * One node's pair of clocks, as functions of true simulation time.
 *
 * The time-of-day clock reads `trueMs * (1 + drift) + offset`. A drift of 100 ppm gains 0.1 ms
 * per second, 8.6 s a day: ordinary for an undisciplined quartz crystal. A jump (an NTP step,
 * an operator fixing the date) changes the offset at once, in either direction.
 *
 * The monotonic clock drifts at the same rate but never jumps, and starts at zero when the node
 * (re)starts, like `performance.now()` in a fresh process.
 */
export class NodeClock {
  #offsetMs: number;
  #driftPpm: number;
  // The drifting clock is piecewise linear: re-anchoring at every rate change keeps readings
  // continuous when the drift changes mid-run.
  #anchorTrueMs = 0;
  #anchorLocalMs: number;
  #monotonicStartLocalMs = 0;
  // Jumps move the time-of-day clock only; the monotonic clock subtracts them back out.
  #jumpsSinceStartMs = 0;

  constructor(offsetMs: number, driftPpm: number) {
    this.#offsetMs = offsetMs;
    this.#driftPpm = driftPpm;
    this.#anchorLocalMs = offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  get driftPpm(): number {
    return this.#driftPpm;
  }

  /** The time-of-day clock at true time `trueMs`. */
  wallMs(trueMs: number): number {
    return this.#anchorLocalMs + (trueMs - this.#anchorTrueMs) * this.#rate();
  }

  /** The monotonic clock at true time `trueMs`. */
  monotonicMs(trueMs: number): number {
    return this.wallMs(trueMs) - this.#monotonicStartLocalMs - this.#jumpsSinceStartMs;
  }

  /** How much true time passes while this node's clock advances `localMs`. */
  trueDurationOf(localMs: number): number {
    return localMs / this.#rate();
  }

  /** Moves the time-of-day clock by `deltaMs` (negative moves it back); the monotonic clock does not move. */
  jump(deltaMs: number): void {
    this.#offsetMs += deltaMs;
    this.#anchorLocalMs += deltaMs;
    this.#jumpsSinceStartMs += deltaMs;
  }

  /** Changes the rate from true time `trueMs` on, keeping the current reading. */
  setDrift(trueMs: number, driftPpm: number): void {
    this.#anchorLocalMs = this.wallMs(trueMs);
    this.#anchorTrueMs = trueMs;
    this.#driftPpm = driftPpm;
  }

  /** Restarts the monotonic clock at zero, as a process restart does. */
  restartMonotonic(trueMs: number): void {
    this.#monotonicStartLocalMs = this.wallMs(trueMs);
    this.#jumpsSinceStartMs = 0;
  }

  #rate(): number {
    return 1 + this.#driftPpm / 1_000_000;
  }
}
