import { todo } from "../../harness/index.js";

/**
 * A hybrid timestamp: the largest physical time the clock has heard of, and a counter that
 * orders events that share it. Plain data, so it can travel in a message.
 */
export interface HybridTimestamp {
  /** Milliseconds of physical time, whole: the paper's l. */
  wallMs: number;
  /** Events seen at this `wallMs` before this one: the paper's c. */
  logical: number;
}

/**
 * Orders two timestamps, by `wallMs` and then by `logical`: negative if `a` is earlier, positive
 * if it is later, zero if they are the same. Usable as a sort comparator.
 */
export function compareTimestamps(a: HybridTimestamp, b: HybridTimestamp): number {
  return todo(
    "1.4",
    `order ${JSON.stringify(a)} and ${JSON.stringify(b)} by wallMs, then by logical: negative, zero or positive`,
  );
}

/**
 * Exercise 1.4 — a hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks",
 * 2014): timestamps that respect causality like a Lamport clock (if a happened before b, a's
 * timestamp is smaller) yet stay within the clock skew of physical time, so they still say
 * roughly when something happened. CockroachDB and MongoDB order their transactions with one.
 *
 * The rules, with `pt` the physical clock read now (floored to whole milliseconds), `l` and `c`
 * the clock's latest `wallMs` and `logical`:
 * - Local or send event: l' = max(l, pt). If l' = l, c' = c + 1, else c' = 0.
 * - Receive of (lm, cm): l' = max(l, lm, pt). If l' equals both l and lm, c' = max(c, cm) + 1;
 *   if it equals only l, c' = c + 1; if only lm, c' = cm + 1; if neither (pt won), c' = 0.
 *
 * `wallMs` never goes backwards, even when the physical clock does, and never runs ahead of
 * the fastest physical clock in the system: it only ever takes values some clock has read.
 */
export class HybridLogicalClock {
  readonly #readPhysicalMs: () => number;

  /** @param readPhysicalMs reads the physical clock, in milliseconds: `() => context.now()` in a node. */
  constructor(readPhysicalMs: () => number) {
    // The clock starts at { wallMs: 0, logical: 0 }, as in the paper. Keep the latest timestamp
    // you issued in a field of your own.
    this.#readPhysicalMs = readPhysicalMs;
  }

  /** Timestamps a local or send event; each call returns a later timestamp than the last. */
  now(): HybridTimestamp {
    return todo(
      "1.4",
      `send rule: wallMs becomes max(latest wallMs, physical ${Math.floor(this.#readPhysicalMs())}); count up logical if wallMs did not move, else reset it to 0`,
    );
  }

  /** Timestamps the receipt of a message stamped `remote`: later than both `remote` and the last local timestamp. */
  receive(remote: HybridTimestamp): HybridTimestamp {
    return todo(
      "1.4",
      `receive rule: wallMs becomes max(latest wallMs, remote ${remote.wallMs}, physical ${Math.floor(this.#readPhysicalMs())}); set logical by which of them won`,
    );
  }
}
