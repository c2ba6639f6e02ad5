import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { VectorClock, type ClockOrder } from "./vector-clock.js";
import { randomHistory } from "./random-history.js";

// Exercise 1.2 — Vector clock. Run: npm run workbook -- test 1.2

/** A clock as text for failure messages, such as {"a":1,"b":2}. */
function show(clock: VectorClock): string {
  return JSON.stringify(clock.toJSON());
}

describe("1.2 Vector clock: the rules", () => {
  test("a new clock reads zero for every node", () => {
    const clock = new VectorClock();
    expect(clock.get("n1"), "a clock that has seen no events, asked about n1").toBe(0);
    expect(clock.toJSON(), "a new clock's entries, as toJSON returns them").toEqual({});
  });

  test("increment adds one to that node's entry only", () => {
    const clock = new VectorClock({ a: 2, b: 5 });
    const next = clock.increment("a");
    expect(next.get("a"), "{a:2, b:5}.increment('a') should read 3 for a").toBe(3);
    expect(next.get("b"), "{a:2, b:5}.increment('a') should leave b at 5").toBe(5);
    expect(
      next.increment("c").get("c"),
      "incrementing a node the clock has never seen should give it 1",
    ).toBe(1);
  });

  test("increment returns a new clock and leaves the original unchanged", () => {
    const clock = new VectorClock({ a: 2 });
    const next = clock.increment("a");
    expect(
      clock.get("a"),
      "after next = clock.increment('a'), the original clock should still read 2 for a: clocks are values, and someone else may hold this one",
    ).toBe(2);
    expect(next.get("a"), "the new clock returned by increment").toBe(3);
  });

  test("merge takes the larger entry for each node", () => {
    const left = new VectorClock({ a: 3, b: 1 });
    const right = new VectorClock({ a: 1, b: 4 });
    const merged = left.merge(right);
    expect(merged.toJSON(), `merging ${show(left)} with ${show(right)}`).toEqual({ a: 3, b: 4 });
  });

  test("clocks with the same entries are equal", () => {
    const left = new VectorClock({ a: 2, b: 1 });
    const right = new VectorClock({ b: 1, a: 2 });
    expect(left.compare(right), `${show(left)} compared with ${show(right)}`).toBe("equal");
    expect(left.compare(left), "a clock compared with itself").toBe("equal");
  });

  test("a clock at most the other everywhere and smaller somewhere is before it", () => {
    const earlier = new VectorClock({ a: 1, b: 2 });
    const later = new VectorClock({ a: 1, b: 3 });
    expect(earlier.compare(later), `${show(earlier)} compared with ${show(later)}`).toBe("before");
    expect(later.compare(earlier), `${show(later)} compared with ${show(earlier)}`).toBe("after");
  });

  test("clocks with some entries larger and some smaller are concurrent", () => {
    const left = new VectorClock({ a: 2, b: 1 });
    const right = new VectorClock({ a: 1, b: 2 });
    expect(
      left.compare(right),
      `${show(left)} knows more of a, ${show(right)} knows more of b, so neither happened before the other`,
    ).toBe("concurrent");
    expect(right.compare(left), `${show(right)} compared with ${show(left)}`).toBe("concurrent");
  });
});

describe("1.2 Vector clock: unknown nodes count as zero", () => {
  test("get of a node the clock has never seen is zero", () => {
    const clock = new VectorClock({ a: 4 });
    expect(clock.get("b"), "{a:4}.get('b'): b is not in the clock, so it counts 0").toBe(0);
  });

  test("merge keeps nodes that only one clock knows", () => {
    const left = new VectorClock({ a: 2 });
    const right = new VectorClock({ b: 3 });
    const merged = left.merge(right);
    expect(merged.get("a"), `${show(left)} merged with ${show(right)}, entry a`).toBe(2);
    expect(merged.get("b"), `${show(left)} merged with ${show(right)}, entry b`).toBe(3);
  });

  test("compare looks at nodes either clock knows", () => {
    const short = new VectorClock({ a: 1 });
    expect(
      short.compare(new VectorClock({ a: 1, b: 0 })),
      "{a:1} compared with {a:1, b:0}: a missing entry is a zero, so they are the same clock",
    ).toBe("equal");
    expect(
      short.compare(new VectorClock({ a: 1, b: 1 })),
      "{a:1} compared with {a:1, b:1}: b is 0 on the left, 1 on the right",
    ).toBe("before");
    expect(
      new VectorClock({ a: 1, b: 1 }).compare(short),
      "{a:1, b:1} compared with {a:1}: b is 1 on the left, 0 on the right",
    ).toBe("after");
  });
});

describe("1.2 Vector clock: values, not shared state", () => {
  test("changing the object passed to the constructor does not change the clock", () => {
    const entries: Record<string, number> = { a: 1 };
    const clock = new VectorClock(entries);
    entries["a"] = 99;
    entries["b"] = 7;
    expect(
      clock.toJSON(),
      "the clock built from {a:1} after the caller changed that object to {a:99, b:7}: the constructor should have copied it",
    ).toEqual({ a: 1 });
  });

  test("changing the object returned by toJSON does not change the clock", () => {
    const clock = new VectorClock({ a: 1 });
    const entries = clock.toJSON();
    entries["a"] = 99;
    expect(clock.get("a"), "the clock after someone changed what its toJSON returned").toBe(1);
  });

  test("merge changes neither clock", () => {
    const left = new VectorClock({ a: 3, b: 1 });
    const right = new VectorClock({ a: 1, b: 4, c: 2 });
    left.merge(right);
    right.merge(left);
    expect(left.toJSON(), "the left clock after merging").toEqual({ a: 3, b: 1 });
    expect(right.toJSON(), "the right clock after merging").toEqual({ a: 1, b: 4, c: 2 });
  });

  test("a clock survives the trip through a message", () => {
    const clock = new VectorClock({ a: 3 }).increment("b");
    const received = new VectorClock(
      JSON.parse(JSON.stringify(clock.toJSON())) as Record<string, number>,
    );
    expect(
      received.compare(clock),
      `a clock rebuilt from the JSON ${JSON.stringify(clock.toJSON())} compared with the original`,
    ).toBe("equal");
  });
});

const nodes = ["a", "b", "c", "d"];

/** A random clock over a few nodes, with small counts so that ties and orderings are common. */
function randomClock(random: Random): VectorClock {
  const entries: Record<string, number> = {};
  for (const node of nodes) if (random.chance(0.7)) entries[node] = random.int(0, 3);
  return new VectorClock(entries);
}

/** Runs `check` on many random triples of clocks; it returns a problem or nothing. */
function forRandomClocks(
  check: (a: VectorClock, b: VectorClock, c: VectorClock) => string | undefined,
): void {
  forEachSeed(
    (seed) => {
      const random = new Random(seed, "clocks");
      for (let round = 0; round < 100; round++) {
        const problem = check(randomClock(random), randomClock(random), randomClock(random));
        if (problem !== undefined) expect.fail(problem);
      }
    },
    { seeds: 20 },
  );
}

const mirror: Record<ClockOrder, ClockOrder> = {
  before: "after",
  after: "before",
  equal: "equal",
  concurrent: "concurrent",
};

describe("1.2 Vector clock: algebra on random clocks", () => {
  test("merge is commutative: a merged with b equals b merged with a", () => {
    forRandomClocks((a, b) => {
      const ab = a.merge(b);
      const ba = b.merge(a);
      if (ab.compare(ba) !== "equal")
        return `${show(a)}.merge(${show(b)}) gave ${show(ab)}, but ${show(b)}.merge(${show(a)}) gave ${show(ba)}`;
    });
  });

  test("merge is associative: the grouping does not matter", () => {
    forRandomClocks((a, b, c) => {
      const left = a.merge(b).merge(c);
      const right = a.merge(b.merge(c));
      if (left.compare(right) !== "equal")
        return `(a merge b) merge c gave ${show(left)} but a merge (b merge c) gave ${show(right)}, with a=${show(a)}, b=${show(b)}, c=${show(c)}`;
    });
  });

  test("merge is idempotent: a clock merged with itself is unchanged", () => {
    forRandomClocks((a) => {
      const merged = a.merge(a);
      if (merged.compare(a) !== "equal")
        return `${show(a)} merged with itself gave ${show(merged)}`;
    });
  });

  test("compare is antisymmetric: a before b exactly when b after a", () => {
    forRandomClocks((a, b) => {
      const forwards = a.compare(b);
      const backwards = b.compare(a);
      if (backwards !== mirror[forwards])
        return `${show(a)} compared with ${show(b)} said "${forwards}", so the reverse should say "${mirror[forwards]}", but it said "${backwards}"`;
    });
  });

  test("both clocks are at or before their merge", () => {
    forRandomClocks((a, b) => {
      const merged = a.merge(b);
      for (const [name, clock] of [
        ["a", a],
        ["b", b],
      ] as const) {
        const order = clock.compare(merged);
        if (order !== "before" && order !== "equal")
          return `${name}=${show(clock)} compared with the merge ${show(merged)} of ${show(a)} and ${show(b)} said "${order}"; it should be "before" or "equal"`;
      }
    });
  });
});

describe("1.2 Vector clock: happened-before on random runs", () => {
  test("compare agrees exactly with happened-before, so concurrent events compare as concurrent", () => {
    forEachSeed((seed) => {
      const processes = ["p1", "p2", "p3"];
      const run = randomHistory(new Random(seed), processes, 40);
      const clocks = new Map(processes.map((name) => [name, new VectorClock()]));
      const sentWith = new Map<number, VectorClock>();
      const history: Array<{ name: string; clock: VectorClock }> = [];
      for (const event of run.events) {
        const process = event.process;
        // Receive: take in what the message knew, then count the receive as an event.
        const current =
          event.kind === "receive"
            ? clocks.get(process)!.merge(sentWith.get(event.message)!)
            : clocks.get(process)!;
        const clock = current.increment(process);
        clocks.set(process, clock);
        if (event.kind === "send") sentWith.set(event.message, clock);
        history.push({ name: event.name, clock });
      }
      for (const first of history) {
        for (const second of history) {
          if (first === second) continue;
          const truth: ClockOrder = run.happenedBefore(first.name, second.name)
            ? "before"
            : run.happenedBefore(second.name, first.name)
              ? "after"
              : "concurrent";
          const said = first.clock.compare(second.clock);
          if (said !== truth) {
            const meaning =
              truth === "concurrent"
                ? "neither could have caused the other"
                : `${first.name} happened ${truth} ${second.name}`;
            expect.fail(
              `${meaning}, so ${first.name}'s clock ${show(first.clock)} compared with ${second.name}'s ${show(second.clock)} should say "${truth}", but it said "${said}"`,
            );
          }
        }
      }
    });
  });
});
