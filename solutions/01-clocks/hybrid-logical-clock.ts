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
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  return 0;
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
  /** The latest timestamp issued; the paper starts every clock at l = 0, c = 0. */
  #latest: HybridTimestamp = { wallMs: 0, logical: 0 };

  /** @param readPhysicalMs reads the physical clock, in milliseconds: `() => context.now()` in a node. */
  constructor(readPhysicalMs: () => number) {
    this.#readPhysicalMs = readPhysicalMs;
  }

  /** Timestamps a local or send event; each call returns a later timestamp than the last. */
  now(): HybridTimestamp {
    const physicalMs = this.#physicalMs();
    const previous = this.#latest;
    // Never below a time already issued: a physical clock stepped back by NTP must not make a
    // later event look earlier.
    const wallMs = Math.max(previous.wallMs, physicalMs);
    // While physical time has not moved past wallMs, the counter tells the events apart; once it
    // does, the counter has nothing to order and starts again, which keeps it small.
    const logical = wallMs === previous.wallMs ? previous.logical + 1 : 0;
    return this.#issue({ wallMs, logical });
  }

  /** Timestamps the receipt of a message stamped `remote`: later than both `remote` and the last local timestamp. */
  receive(remote: HybridTimestamp): HybridTimestamp {
    if (!Number.isFinite(remote.wallMs) || !Number.isSafeInteger(remote.logical)) {
      throw new RangeError(
        `Expected a timestamp { wallMs, logical } of finite numbers, got ${JSON.stringify(remote)}`,
      );
    }
    const physicalMs = this.#physicalMs();
    const previous = this.#latest;
    const wallMs = Math.max(previous.wallMs, remote.wallMs, physicalMs);
    let logical: number;
    if (wallMs === previous.wallMs && wallMs === remote.wallMs) {
      logical = Math.max(previous.logical, remote.logical) + 1;
    } else if (wallMs === previous.wallMs) {
      logical = previous.logical + 1;
    } else if (wallMs === remote.wallMs) {
      // The sender's clock is ahead of ours: adopt its time and count past its event.
      logical = remote.logical + 1;
    } else {
      logical = 0;
    }
    return this.#issue({ wallMs, logical });
  }

  #issue(timestamp: HybridTimestamp): HybridTimestamp {
    this.#latest = timestamp;
    // A copy, so a caller that changes the timestamp it got cannot change the clock.
    return { ...timestamp };
  }

  #physicalMs(): number {
    // Whole milliseconds, as real HLCs store them (48 bits of milliseconds in the paper's
    // 64-bit encoding); a fractional reading would make nearly every event a new "millisecond".
    return Math.floor(this.#readPhysicalMs());
  }
}
