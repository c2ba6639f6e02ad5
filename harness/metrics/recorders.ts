import { observeSends } from "../simulation/observe-sends.js";
import type { NodeContext } from "../simulation/types.js";
import { mean, quantile } from "./measurement.js";

/**
 * Recorders a measurement (or a test) fills in while a simulation runs, then reads back as
 * numbers. They hold plain numbers in true simulation time, never read a clock themselves, and
 * so keep a measurement a function of its seeds.
 */

/** What `LatencyRecorder.summary` returns, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Operation latencies, for quantiles: p50 and p99 of a write, say. */
export class LatencyRecorder {
  readonly #latenciesMs: number[] = [];

  /** Records one operation that took `latencyMs`. */
  record(latencyMs: number): void {
    if (!(Number.isFinite(latencyMs) && latencyMs >= 0))
      throw new RangeError(`Expected a latency to be a finite number >= 0, got ${latencyMs}`);
    this.#latenciesMs.push(latencyMs);
  }

  get count(): number {
    return this.#latenciesMs.length;
  }

  /** The q-quantile (0 ≤ q ≤ 1), nearest rank: a latency that occurred. */
  quantileMs(q: number): number {
    return quantile(this.#latenciesMs, q);
  }

  /** Count, p50, p99, max and mean; throws when nothing was recorded (a quantile of nothing). */
  summary(): LatencySummary {
    const values = this.#latenciesMs;
    return {
      count: values.length,
      p50Ms: quantile(values, 0.5),
      p99Ms: quantile(values, 0.99),
      maxMs: quantile(values, 1),
      meanMs: mean(values),
    };
  }
}

/**
 * Counts the messages nodes send, by wrapping each node's context: a `send` counts one, a
 * `broadcast` one per peer. Divide by the operations a workload completed for messages per
 * operation. Counting at the context, not the wire, counts what a node chose to send, whether
 * or not the network then lost or duplicated it.
 */
export class MessageCounter {
  #total = 0;
  readonly #byType = new Map<string, number>();

  /** How many messages every wrapped context has sent so far. */
  get total(): number {
    return this.#total;
  }

  /** Messages sent so far by their `type` field, for messages that have one. */
  byType(): ReadonlyMap<string, number> {
    return this.#byType;
  }

  /** Messages per operation: the total divided by `operations` (0 when there were none). */
  perOperation(operations: number): number {
    return operations === 0 ? 0 : this.#total / operations;
  }

  /** The same context, except that every message it sends is counted here. */
  wrap<Message>(context: NodeContext<Message>): NodeContext<Message> {
    return observeSends(context, (_, message) => {
      this.#total++;
      const type = (message as { type?: unknown } | null)?.type;
      if (typeof type === "string") this.#byType.set(type, (this.#byType.get(type) ?? 0) + 1);
    });
  }
}

/** One attempt at an operation, as `AvailabilityRecorder` keeps it. */
export interface Attempt {
  startMs: number;
  /** When it was answered successfully; undefined when it never was. */
  successMs: number | undefined;
}

/**
 * Availability as a client sees it: of the operations started in a window of time, the
 * fraction answered successfully within a deadline. An operation that never returns, or
 * returns too late to be useful, counts against availability exactly as an error does.
 */
export class AvailabilityRecorder {
  readonly #attempts: Attempt[] = [];
  readonly #deadlineMs: number;

  /** `deadlineMs`: how long a client waits before it counts an operation as failed. */
  constructor(deadlineMs: number) {
    if (!(deadlineMs > 0)) throw new RangeError(`Expected a deadline > 0 ms, got ${deadlineMs}`);
    this.#deadlineMs = deadlineMs;
  }

  /** Records that an operation started at `startMs`; call `succeeded` on what it returns. */
  start(startMs: number): Attempt {
    const attempt: Attempt = { startMs, successMs: undefined };
    this.#attempts.push(attempt);
    return attempt;
  }

  /** Records that `attempt` was answered successfully at `successMs`. */
  succeeded(attempt: Attempt, successMs: number): void {
    if (successMs < attempt.startMs)
      throw new RangeError(
        `An operation started at ${attempt.startMs} ms cannot succeed earlier, at ${successMs} ms`,
      );
    attempt.successMs ??= successMs;
  }

  /** How many attempts started in [fromMs, toMs). */
  attempted(fromMs = -Infinity, toMs = Infinity): number {
    return this.#within(fromMs, toMs).length;
  }

  /**
   * The fraction of attempts started in [fromMs, toMs) that succeeded within the deadline; NaN
   * when none started there, so that "no data" never reads as "fully available".
   */
  availability(fromMs = -Infinity, toMs = Infinity): number {
    const attempts = this.#within(fromMs, toMs);
    if (attempts.length === 0) return NaN;
    const inTime = attempts.filter(
      (attempt) =>
        attempt.successMs !== undefined && attempt.successMs - attempt.startMs <= this.#deadlineMs,
    );
    return inTime.length / attempts.length;
  }

  /** Availability in consecutive windows of `windowMs` from `fromMs` to `toMs`, for a chart. */
  windows(
    windowMs: number,
    fromMs: number,
    toMs: number,
  ): Array<{ startMs: number; availability: number }> {
    if (!(windowMs > 0)) throw new RangeError(`Expected a window > 0 ms, got ${windowMs}`);
    const result: Array<{ startMs: number; availability: number }> = [];
    for (let startMs = fromMs; startMs < toMs; startMs += windowMs)
      result.push({ startMs, availability: this.availability(startMs, startMs + windowMs) });
    return result;
  }

  #within(fromMs: number, toMs: number): Attempt[] {
    return this.#attempts.filter((attempt) => attempt.startMs >= fromMs && attempt.startMs < toMs);
  }
}
