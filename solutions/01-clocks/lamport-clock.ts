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
  #time = 0;

  /** The clock's current value; a new clock reads 0. */
  get time(): number {
    return this.#time;
  }

  /** Records a local event; returns the event's timestamp. */
  tick(): number {
    this.#time += 1;
    return this.#time;
  }

  /** Records sending a message; returns the timestamp to put on it. */
  send(): number {
    // A send is an event like any other: without the increment, a message and the local event
    // just before it would share a timestamp, and "before" would no longer be strict.
    this.#time += 1;
    return this.#time;
  }

  /** Records receiving a message stamped `timestamp`; returns the receive event's timestamp. */
  receive(timestamp: number): number {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new RangeError(`Expected a timestamp that is a whole number >= 0, got ${timestamp}`);
    }
    // The receive happened after the send, so it must be stamped later than the sender's clock
    // said, however far behind this node's own clock is.
    this.#time = Math.max(this.#time, timestamp) + 1;
    return this.#time;
  }
}
