import { describe, expect, test } from "vitest";
import { Random } from "./random.js";

const draws = (random: Random, count: number) => Array.from({ length: count }, () => random.next());

describe("Random", () => {
  test("the same seed and stream give the same sequence", () => {
    expect(draws(new Random(42, "network"), 100), "two generators with seed 42").toEqual(
      draws(new Random(42, "network"), 100),
    );
  });

  test("different seeds and different streams give different sequences", () => {
    const sequences = [
      draws(new Random(1), 20),
      draws(new Random(2), 20),
      draws(new Random(1, "node/n1"), 20),
      draws(new Random(1, "node/n2"), 20),
    ].map((sequence) => sequence.join());
    expect(new Set(sequences).size, "distinct sequences among four generators").toBe(4);
  });

  test("next() stays in [0, 1) and averages about a half", () => {
    const values = draws(new Random(7), 10_000);
    const outside = values.filter((value) => !(value >= 0 && value < 1));
    expect(outside, "values outside [0, 1)").toEqual([]);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    // The mean of 10,000 uniform draws has a standard deviation of about 0.0029.
    expect(Math.abs(mean - 0.5), "distance of the mean from 0.5").toBeLessThan(0.01);
  });

  test("int(min, max) covers every value in [min, max], each about equally often", () => {
    const random = new Random(3);
    const counts = new Map<number, number>();
    for (let draw = 0; draw < 12_000; draw++) {
      const value = random.int(-2, 9);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect(
      [...counts.keys()].sort((a, b) => a - b),
      "values drawn",
    ).toEqual([-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // 1,000 expected per value, standard deviation about 30: 15% is five of them.
    const skewed = [...counts].filter(([, count]) => Math.abs(count - 1_000) > 150);
    expect(skewed, "values drawn far from 1,000 times out of 12,000").toEqual([]);
    expect(random.int(5, 5), "int(5, 5)").toBe(5);
  });

  test("int refuses a range that is empty or not whole", () => {
    const random = new Random(1);
    expect(() => random.int(3, 2), "int(3, 2)").toThrow(/min <= max/);
    expect(() => random.int(0.5, 2), "int(0.5, 2)").toThrow(/integers/);
  });

  test("shuffle returns a permutation, deterministic per seed, leaving its input alone", () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const shuffled = new Random(9).shuffle(items);
    expect(
      [...shuffled].sort((a, b) => a - b),
      "the shuffled items, sorted",
    ).toEqual(items);
    expect(shuffled, "a shuffle of 50 items should move some").not.toEqual(items);
    expect(new Random(9).shuffle(items), "the same seed's shuffle").toEqual(shuffled);
    expect(items[0], "the input array is not changed").toBe(0);
    const firsts = new Set(
      Array.from({ length: 200 }, (_, seed) => new Random(seed).shuffle(items)[0]),
    );
    expect(firsts.size, "distinct first items over 200 seeds' shuffles").toBeGreaterThan(40);
  });

  test("chance, between and pick stay within their ranges", () => {
    const random = new Random(11);
    let hits = 0;
    for (let draw = 0; draw < 10_000; draw++) if (random.chance(0.2)) hits++;
    // 2,000 expected, standard deviation 40.
    expect(Math.abs(hits - 2_000), "distance from 2,000 hits at chance 0.2").toBeLessThan(120);
    expect(random.chance(0), "chance(0)").toBe(false);
    expect(random.chance(1), "chance(1)").toBe(true);
    const between = Array.from({ length: 1_000 }, () => random.between(-3, 3));
    expect(
      between.filter((value) => value < -3 || value >= 3),
      "between(-3, 3) outside",
    ).toEqual([]);
    const picked = new Set(Array.from({ length: 100 }, () => random.pick(["a", "b", "c"])));
    expect([...picked].sort(), "items picked from three").toEqual(["a", "b", "c"]);
    expect(() => random.pick([]), "pick from nothing").toThrow(/non-empty/);
  });
});
