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
 */
export class EventQueue<Event> {
  #heap: Scheduled<Event>[] = [];
  #nextSequence = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(timeMs: number, event: Event): void {
    const item = { timeMs, sequence: this.#nextSequence++, event };
    const heap = this.#heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = item;
  }

  peek(): Scheduled<Event> | undefined {
    return this.#heap[0];
  }

  pop(): Scheduled<Event> | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}

function before<Event>(a: Scheduled<Event>, b: Scheduled<Event>): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
}
