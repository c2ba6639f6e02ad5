import { todo, type NodeId } from "../../harness/index.js";

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
  /** A clock with a copy of `entries`; with no argument, the clock of a node that has seen nothing. */
  constructor(entries: Readonly<Record<NodeId, number>> = {}) {
    todo(
      "1.2",
      `keep a private copy of the entries ${JSON.stringify(entries)}, so later changes to the object passed in cannot reach the clock`,
    );
  }

  /** The count for `node`; a node the clock has never heard of counts zero. */
  get(node: NodeId): number {
    return todo("1.2", `return the count for ${node}, or 0 if the clock has no entry for it`);
  }

  /** A new clock with `node`'s entry one higher: the clock of `node`'s next event. */
  increment(node: NodeId): VectorClock {
    return todo(
      "1.2",
      `return a new clock with ${node}'s entry one higher, leaving this clock unchanged`,
    );
  }

  /** A new clock that knows everything either clock knows: the larger count for every node. */
  merge(other: VectorClock): VectorClock {
    return todo(
      "1.2",
      "return a new clock with, for every node in either clock, the larger of the two entries",
    );
  }

  /**
   * How this clock is ordered against `other`: "before" if every entry is at most `other`'s
   * and one is smaller, "after" the other way round, "equal" if all entries are equal, and
   * "concurrent" if each has an entry larger than the other's.
   */
  compare(other: VectorClock): ClockOrder {
    return todo(
      "1.2",
      "compare entry by entry over the nodes either clock knows, and say before, after, equal or concurrent",
    );
  }

  /** A fresh plain object of the entries, to put in a message; changing it leaves the clock alone. */
  toJSON(): Record<NodeId, number> {
    return todo("1.2", "return a new plain object with the clock's entries");
  }
}
