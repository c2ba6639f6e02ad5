import type { NodeId } from "../../harness/index.js";

/** How two vector clocks, and so the events they stamp, are ordered. */
export type ClockOrder = "before" | "after" | "equal" | "concurrent";

/**
 * Exercise 1.2 — a vector clock: one counter per node, so that comparing two timestamps tells
 * exactly whether one event happened before the other or the two were concurrent. A Lamport
 * clock only promises "a before b implies a smaller"; a vector clock gives the converse too.
 *
 * Entry `n` counts the events of node `n` that the stamped event knows about. A node that does
 * not appear has count zero: `{ a: 1 }` and `{ a: 1, b: 0 }` are the same clock.
 *
 * A VectorClock is an immutable value. `increment` and `merge` return a new clock and leave
 * their operands alone, and the constructor and `toJSON` copy, so a clock kept in a message,
 * a log or a map can never change behind its holder's back.
 *
 * @example
 * const a = new VectorClock().increment("n1");        // { n1: 1 }
 * const b = a.increment("n2");                        // { n1: 1, n2: 1 }
 * a.compare(b);                                       // "before"
 * a.increment("n1").compare(b);                       // "concurrent"
 */
export class VectorClock {
  readonly #entries: Record<NodeId, number>;

  /** A clock with a copy of `entries`; with no argument, the clock of a node that has seen nothing. */
  constructor(entries: Readonly<Record<NodeId, number>> = {}) {
    const copy: Record<NodeId, number> = {};
    for (const [node, count] of Object.entries(entries)) {
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new RangeError(
          `Expected the entry for ${node} to be a whole number >= 0, got ${count}`,
        );
      }
      // A zero entry says no more than a missing one; dropping it keeps messages small.
      if (count > 0) copy[node] = count;
    }
    this.#entries = copy;
  }

  /** The count for `node`; a node the clock has never heard of counts zero. */
  get(node: NodeId): number {
    return this.#entries[node] ?? 0;
  }

  /** A new clock with `node`'s entry one higher: the clock of `node`'s next event. */
  increment(node: NodeId): VectorClock {
    return new VectorClock({ ...this.#entries, [node]: this.get(node) + 1 });
  }

  /** A new clock that knows everything either clock knows: the larger count for every node. */
  merge(other: VectorClock): VectorClock {
    const merged: Record<NodeId, number> = {};
    for (const node of this.#nodesWith(other))
      merged[node] = Math.max(this.get(node), other.get(node));
    return new VectorClock(merged);
  }

  /**
   * How this clock is ordered against `other`: "before" if every entry is at most `other`'s
   * and one is smaller, "after" the other way round, "equal" if all entries are equal, and
   * "concurrent" if each has an entry larger than the other's.
   */
  compare(other: VectorClock): ClockOrder {
    let someSmaller = false;
    let someLarger = false;
    // Nodes only one clock mentions count too: their missing entry is a zero.
    for (const node of this.#nodesWith(other)) {
      const mine = this.get(node);
      const theirs = other.get(node);
      if (mine < theirs) someSmaller = true;
      if (mine > theirs) someLarger = true;
    }
    // One larger entry each way means each event knows something the other does not: neither
    // could have caused the other.
    if (someSmaller && someLarger) return "concurrent";
    if (someSmaller) return "before";
    if (someLarger) return "after";
    return "equal";
  }

  /** A fresh plain object of the entries, to put in a message; changing it leaves the clock alone. */
  toJSON(): Record<NodeId, number> {
    return { ...this.#entries };
  }

  /** Every node either clock has an entry for. */
  #nodesWith(other: VectorClock): Set<NodeId> {
    return new Set([...Object.keys(this.#entries), ...Object.keys(other.#entries)]);
  }
}
