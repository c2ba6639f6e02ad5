import { describe, expect, test } from "vitest";
import { EventQueue } from "./event-queue.js";
import { Random } from "./random.js";

describe("EventQueue", () => {
  test("pops in (time, sequence) order under random pushes and pops, like a sorted list", () => {
    for (const seed of [1, 2]) {
      const random = new Random(seed);
      const queue = new EventQueue<number>();
      // The reference: every pending item, sorted by time and then by when it was pushed.
      const reference: Array<{ timeMs: number; id: number }> = [];
      let nextId = 0;
      for (let operation = 0; operation < 2_000; operation++) {
        if (random.chance(0.55) || reference.length === 0) {
          // Few distinct times, so that many items tie and the sequence decides.
          const timeMs = random.int(0, 40);
          queue.push(timeMs, nextId);
          // Ids only grow, so a new item goes after every pending item at its time or earlier.
          const after = reference.findIndex((item) => item.timeMs > timeMs);
          reference.splice(after === -1 ? reference.length : after, 0, { timeMs, id: nextId });
          nextId++;
        } else {
          const expected = reference.shift()!;
          const popped = queue.pop();
          if (popped?.event !== expected.id || popped.timeMs !== expected.timeMs) {
            expect.fail(
              `seed ${seed}, operation ${operation}: expected item ${expected.id} at ` +
                `${expected.timeMs}ms, got item ${popped?.event} at ${popped?.timeMs}ms`,
            );
          }
        }
        if (queue.size !== reference.length)
          expect.fail(`size ${queue.size} but ${reference.length} items are pending`);
        if (queue.peek()?.event !== reference[0]?.id)
          expect.fail(`peek shows item ${queue.peek()?.event}, expected ${reference[0]?.id}`);
      }
    }
  });

  test("items at the same time come out in the order they were pushed", () => {
    const queue = new EventQueue<string>();
    for (const name of ["a", "b", "c", "d", "e"]) queue.push(10, name);
    queue.push(5, "early");
    const order: string[] = [];
    while (queue.size > 0) order.push(queue.pop()!.event);
    expect(order, "pop order").toEqual(["early", "a", "b", "c", "d", "e"]);
  });

  test("an empty queue peeks and pops undefined", () => {
    const queue = new EventQueue<string>();
    expect(queue.peek(), "peek on an empty queue").toBeUndefined();
    expect(queue.pop(), "pop on an empty queue").toBeUndefined();
    queue.push(1, "only");
    expect(queue.pop()?.event, "pop of the only item").toBe("only");
    expect(queue.size, "size after popping the only item").toBe(0);
  });
});
