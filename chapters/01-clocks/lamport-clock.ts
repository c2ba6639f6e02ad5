import { todo } from "../../harness/index.js";

/**
 * Exercise 1.1 — a Lamport clock: a counter that orders events consistently with
 * happened-before. If event a happened before event b, then a's timestamp is smaller than b's.
 *
 * The three rules (Lamport 1978, "Time, Clocks, and the Ordering of Events"):
 * 1. Before a local event, add one to the counter.
 * 2. Before sending a message, add one to the counter, and stamp the message with it.
 * 3. On receiving a message stamped t, set the counter to the larger of itself and t, then add one.
 */
export class LamportClock {
  /** The clock's current value; a new clock reads 0. */
  get time(): number {
    return todo("1.1", "return the clock's current value (a new clock reads 0)");
  }

  /** Records a local event; returns the event's timestamp. */
  tick(): number {
    return todo("1.1", "rule 1: advance the clock for a local event and return the new time");
  }

  /** Records sending a message; returns the timestamp to put on it. */
  send(): number {
    return todo(
      "1.1",
      "rule 2: advance the clock for a send and return the timestamp for the message",
    );
  }

  /** Records receiving a message stamped `timestamp`; returns the receive event's timestamp. */
  receive(timestamp: number): number {
    return todo(
      "1.1",
      `rule 3: merge the received timestamp ${timestamp} into the clock and return the new time`,
    );
  }
}
