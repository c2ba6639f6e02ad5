/** Something scheduled to happen at a point of true simulation time. */
export interface Scheduled<Event> {
  timeMs: number;
  /** Breaks ties between events at the same time: first scheduled, first run. */
  sequence: number;
  event: Event;
}

/**
 * A binary min-heap of events ordered by (time, sequence). The sequence number makes the order
 * total, so two events at the same instant always run in the order they were scheduled and a
 * run never depends on how a sort happens to break ties.
 *
 * The heap is three parallel arrays (times, sequences, events) rather than an array of
 * `{ timeMs, sequence, event }`: pushing allocates nothing, and comparisons read packed numbers.
 */
export class EventQueue<Event> {
  readonly #times: number[] = [];
  readonly #sequences: number[] = [];
  readonly #events: Event[] = [];
  #nextSequence = 0;

  get size(): number {
    return this.#times.length;
  }

  push(timeMs: number, event: Event): void {
    const times = this.#times;
    const sequences = this.#sequences;
    const events = this.#events;
    const sequence = this.#nextSequence++;
    let index = times.length;
    times.push(timeMs);
    sequences.push(sequence);
    events.push(event);
    // Sift up: a new item's sequence is the largest, so it rises only past later times.
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (times[parent]! <= timeMs) break;
      times[index] = times[parent]!;
      sequences[index] = sequences[parent]!;
      events[index] = events[parent]!;
      index = parent;
    }
    times[index] = timeMs;
    sequences[index] = sequence;
    events[index] = event;
  }

  /** The time of the next event, or Infinity when there is none. */
  peekTimeMs(): number {
    return this.#times.length === 0 ? Infinity : this.#times[0]!;
  }

  peek(): Scheduled<Event> | undefined {
    if (this.#times.length === 0) return undefined;
    return { timeMs: this.#times[0]!, sequence: this.#sequences[0]!, event: this.#events[0]! };
  }

  pop(): Scheduled<Event> | undefined {
    const top = this.peek();
    if (top !== undefined) this.popEvent();
    return top;
  }

  /** Removes the next event and returns it; the queue must not be empty. */
  popEvent(): Event {
    const times = this.#times;
    const sequences = this.#sequences;
    const events = this.#events;
    const top = events[0]!;
    const lastTime = times.pop()!;
    const lastSequence = sequences.pop()!;
    const lastEvent = events.pop()!;
    const length = times.length;
    if (length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (
        right < length &&
        (times[right]! < times[left]! ||
          (times[right] === times[left] && sequences[right]! < sequences[left]!))
      )
        child = right;
      const childTime = times[child]!;
      if (childTime > lastTime || (childTime === lastTime && sequences[child]! > lastSequence))
        break;
      times[index] = childTime;
      sequences[index] = sequences[child]!;
      events[index] = events[child]!;
      index = child;
    }
    times[index] = lastTime;
    sequences[index] = lastSequence;
    events[index] = lastEvent;
    return top;
  }
}
