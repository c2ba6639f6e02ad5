import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { hash64 } from "./hash.js";
import { jumpHash } from "./jump-hash.js";
import { MaglevTable } from "./maglev-table.js";
import { randomKeys, randomNodeNames, randomPosition } from "./ring-testing.js";
import { rendezvousOwner, rendezvousScore } from "./rendezvous-hash.js";
import { VirtualNodeRing } from "./vnode-ring.js";

// Exercise 6.3 — jump, rendezvous and Maglev. Run: npm run workbook -- test 6.3
//
// The statistical tests state their tolerances as multiples of a binomial standard deviation,
// sqrt(p (1 − p) / K) for K keys each moving with probability p; the notes derive them.

/** Five binomial standard deviations of a fraction with probability `p` over `count` trials. */
function fiveDeviations(p: number, count: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / count);
}

describe("6.3 Jump consistent hash", () => {
  test("jumpHash matches the published values of Guava and ClickHouse", () => {
    // Guava's HashingTest.testConsistentHash_linearCongruentialGeneratorCompatibility, whose
    // golden values check that "implementations across languages are equivalent".
    const golden100 = [
      0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83,
    ];
    golden100.forEach((bucket, key) => {
      expect(jumpHash(BigInt(key), 100), `jumpHash(${key}n, 100), Guava's golden value`).toBe(
        bucket,
      );
    });
    const published: Array<[bigint, number, number, string]> = [
      [10863919174838991n, 11, 6, "Guava"],
      [2016238256797177309n, 11, 3, "Guava"],
      [1673758223894951030n, 11, 5, "Guava"],
      [2n, 100001, 80343, "Guava"],
      [2201n, 100001, 22152, "Guava"],
      [2202n, 100001, 15018, "Guava"],
      // ClickHouse's tests/queries/0_stateless/00580_consistent_hashing_functions.
      [1n, 1, 0, "ClickHouse"],
      [42n, 57, 43, "ClickHouse"],
      [256n, 1024, 520, "ClickHouse"],
      [3735883980n, 666, 361, "ClickHouse"],
    ];
    for (const [key, buckets, bucket, source] of published) {
      expect(jumpHash(key, buckets), `jumpHash(${key}n, ${buckets}), published by ${source}`).toBe(
        bucket,
      );
    }
  });

  test("a key above 2^63 is an unsigned 64-bit number", () => {
    // Also ClickHouse's: 16045690984833335023 is above 2^63, where signed arithmetic goes wrong.
    expect(
      jumpHash(16045690984833335023n, 255),
      "jumpHash(16045690984833335023n, 255), published by ClickHouse",
    ).toBe(237);
  });

  test("every key lands in a bucket in [0, n)", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "jump");
      for (let probe = 0; probe < 200; probe++) {
        const buckets = random.int(1, 1_000);
        const key = randomPosition(random);
        const bucket = jumpHash(key, buckets);
        if (!Number.isInteger(bucket) || bucket < 0 || bucket >= buckets)
          expect.fail(`jumpHash(${key}n, ${buckets}) returned ${bucket}, outside [0, ${buckets})`);
      }
    });
  });

  test("going from n to n + 1 buckets moves about 1/(n + 1) of the keys, all to the new bucket", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "jump");
      const buckets = random.int(5, 50);
      const keys = Array.from({ length: 2_000 }, () => randomPosition(random));
      let moved = 0;
      for (const key of keys) {
        const before = jumpHash(key, buckets);
        const after = jumpHash(key, buckets + 1);
        if (before === after) continue;
        if (after !== buckets)
          expect.fail(
            `going from ${buckets} to ${buckets + 1} buckets moved key ${key}n from bucket ${before} to ${after}: a key may only move to the new bucket, ${buckets}`,
          );
        moved++;
      }
      const expected = 1 / (buckets + 1);
      expect(
        Math.abs(moved / keys.length - expected),
        `${moved} of ${keys.length} keys moved going from ${buckets} to ${buckets + 1} buckets; about 1/${buckets + 1} = ${(100 * expected).toFixed(1)}% should`,
      ).toBeLessThan(fiveDeviations(expected, keys.length));
    });
  });

  test("a bucket count below one is refused", () => {
    expect(jumpHash(5n, 1), "jumpHash(5n, 1): with one bucket, every key is in bucket 0").toBe(0);
    expect(() => jumpHash(5n, 0), "jumpHash(5n, 0)").toThrow(RangeError);
  });
});

describe("6.3 Rendezvous hashing", () => {
  test("the owner is the node whose hash of the pair (key, node) is highest", () => {
    const nodes = ["alpha", "bravo", "charlie", "delta", "echo"];
    for (const key of ["apple", "banana", "cherry", "damson", "elderberry", "fig"]) {
      const scores = nodes.map((node) => ({ node, score: hash64(key, hash64(node)) }));
      const best = scores.reduce((top, entry) => (entry.score > top.score ? entry : top));
      expect(rendezvousScore(key, "alpha"), `rendezvousScore("${key}", "alpha")`).toBe(
        scores[0]!.score,
      );
      expect(
        rendezvousOwner(key, nodes),
        `the scores of "${key}" are ${scores.map((entry) => `${entry.node} ${entry.score}`).join(", ")}; the highest owns it`,
      ).toBe(best.node);
    }
  });

  test("keys spread evenly over the nodes", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "rendezvous");
        const nodes = randomNodeNames(random, 10);
        const counts = new Map<string, number>();
        for (const key of randomKeys(random, 400)) {
          const owner = rendezvousOwner(key, nodes);
          counts.set(owner, (counts.get(owner) ?? 0) + 1);
        }
        // Each node's count is binomial(400, 0.1): 40 ± 6. Twice the mean is 6.7 deviations off.
        const busiest = Math.max(...counts.values());
        expect(
          busiest,
          `the busiest of 10 nodes got ${busiest} of 400 keys; about 40 each is expected (a score that adds hash(key) and hash(node) puts every key on the node with the largest hash)`,
        ).toBeLessThan(80);
      },
      { seeds: 10 },
    );
  });

  test("removing a node moves only its keys", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "rendezvous");
        const nodes = randomNodeNames(random, random.int(3, 8));
        const leaving = random.pick(nodes);
        const rest = nodes.filter((node) => node !== leaving);
        for (const key of randomKeys(random, 150)) {
          const before = rendezvousOwner(key, nodes);
          const after = rendezvousOwner(key, rest);
          if (before !== leaving && after !== before)
            expect.fail(
              `removing ${leaving} moved "${key}" from ${before} to ${after}: only ${leaving}'s keys may move`,
            );
        }
      },
      { seeds: 10 },
    );
  });

  test("adding a node moves about 1/(n + 1) of the keys, all onto it", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "rendezvous");
        const [joining, ...nodes] = randomNodeNames(random, 10);
        const keys = randomKeys(random, 400);
        let moved = 0;
        for (const key of keys) {
          const before = rendezvousOwner(key, nodes);
          const after = rendezvousOwner(key, [...nodes, joining!]);
          if (before === after) continue;
          if (after !== joining)
            expect.fail(
              `adding ${joining} moved "${key}" from ${before} to ${after}, not to ${joining}`,
            );
          moved++;
        }
        expect(
          Math.abs(moved / keys.length - 0.1),
          `adding a 10th node moved ${moved} of ${keys.length} keys; about 1/10 should`,
        ).toBeLessThan(fiveDeviations(0.1, keys.length));
      },
      { seeds: 10 },
    );
  });

  test("the owner does not depend on the order the nodes are listed in", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "rendezvous");
        const nodes = randomNodeNames(random, 6);
        for (const key of randomKeys(random, 50)) {
          const owner = rendezvousOwner(key, nodes);
          const shuffled = random.shuffle(nodes);
          if (rendezvousOwner(key, shuffled) !== owner)
            expect.fail(
              `"${key}" went to ${owner} with nodes ${nodes.join(", ")} but to ${rendezvousOwner(key, shuffled)} with ${shuffled.join(", ")}`,
            );
        }
      },
      { seeds: 10 },
    );
  });
});

/** How many entries each backend owns. */
function entryCounts(table: MaglevTable): Map<string, number> {
  const counts = new Map<string, number>();
  for (const backend of table.entries) counts.set(backend, (counts.get(backend) ?? 0) + 1);
  return counts;
}

describe("6.3 Maglev's lookup table", () => {
  test("a table size that is not prime is refused", () => {
    expect(new MaglevTable(["alpha", "bravo"], 13).size, "a table of 13 entries").toBe(13);
    for (const size of [12, 1000, 65536]) {
      expect(
        () => new MaglevTable(["alpha", "bravo"], size),
        `a table of ${size} entries: a skip that shares a factor with it would visit only some entries`,
      ).toThrow(RangeError);
    }
  });

  test("every backend's permutation visits every entry, so tables of small prime size always fill", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "maglev");
      for (const size of [7, 11, 13]) {
        for (let round = 0; round < 5; round++) {
          const backends = randomNodeNames(random, random.int(2, 6));
          const entries = new MaglevTable(backends, size).entries;
          const missing = entries.filter((entry) => !backends.includes(entry));
          if (entries.length !== size || missing.length > 0)
            expect.fail(
              `a table of ${size} for ${backends.join(", ")} came out as [${entries.join(", ")}]: every entry must name a backend`,
            );
        }
      }
    });
  });

  test("each backend owns ⌊M/N⌋ or ⌈M/N⌉ entries", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "maglev");
      const backends = randomNodeNames(random, random.int(3, 20));
      const size = 1009;
      const counts = entryCounts(new MaglevTable(backends, size));
      const low = Math.floor(size / backends.length);
      for (const backend of backends) {
        const count = counts.get(backend) ?? 0;
        if (count !== low && count !== Math.ceil(size / backends.length))
          expect.fail(
            `${backend} owns ${count} of ${size} entries with ${backends.length} backends; taking turns gives each ${low} or ${low + 1}`,
          );
      }
    });
  });

  test("the table depends only on the set of backends, not their order", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "maglev");
      const backends = randomNodeNames(random, 6);
      const first = new MaglevTable(backends, 101).entries;
      const second = new MaglevTable(random.shuffle(backends), 101).entries;
      expect(second, `tables of the same backends listed in two orders`).toEqual(first);
    });
  });

  test("when one of 10 backends leaves, few entries besides its own change", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "maglev");
      const backends = randomNodeNames(random, 10);
      const leaving = random.pick(backends);
      const size = 4093;
      const before = new MaglevTable(backends, size).entries;
      const after = new MaglevTable(
        backends.filter((backend) => backend !== leaving),
        size,
      ).entries;
      const others = before.filter(
        (backend, entry) => backend !== leaving && after[entry] !== backend,
      );
      const kept = before.filter((backend) => backend !== leaving).length;
      expect(
        others.length / kept,
        `${others.length} of the ${kept} entries of the other backends changed when ${leaving} left; Maglev is not quite minimal: 1.3% on average, at most 10% over 1,000 seeds`,
      ).toBeLessThan(0.15);
    });
  });

  test("keys go to the entry at their hash mod M", () => {
    const table = new MaglevTable(["alpha", "bravo", "charlie"], 13);
    expect(table.size, "the table's size").toBe(13);
    for (const key of ["apple", "banana", "cherry", "damson"]) {
      expect(table.backendFor(key), `backendFor("${key}"): entry ${hash64(key) % 13n}`).toBe(
        table.entries[Number(hash64(key) % 13n)],
      );
    }
  });
});

describe("6.3 The four side by side", () => {
  test("on the same keys, a join moves about 1/(n + 1) for the ring, jump, rendezvous and Maglev", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "compare");
        const [joining, ...nodes] = randomNodeNames(random, 11);
        const keys = randomKeys(random, 500);
        const grown = [...nodes, joining!];
        const ring = new VirtualNodeRing({ tokensPerNode: 100 });
        for (const node of nodes) ring.add(node);
        const ringBefore = keys.map((key) => ring.nodeFor(key));
        ring.add(joining!);
        const before = new MaglevTable(nodes, 1009);
        const after = new MaglevTable(grown, 1009);
        const moved = {
          ring: keys.filter((key, index) => ring.nodeFor(key) !== ringBefore[index]).length,
          jump: keys.filter((key) => jumpHash(hash64(key), 10) !== jumpHash(hash64(key), 11))
            .length,
          rendezvous: keys.filter(
            (key) => rendezvousOwner(key, nodes) !== rendezvousOwner(key, grown),
          ).length,
          maglev: keys.filter((key) => before.backendFor(key) !== after.backendFor(key)).length,
        };
        const report = Object.entries(moved)
          .map(([name, count]) => `${name} ${((100 * count) / keys.length).toFixed(1)}%`)
          .join(", ");
        // Jump and rendezvous move exactly the keys the new node wins: binomial(500, 1/11),
        // 9.1% ± 1.3%. The ring adds the spread of the new node's share (±0.9% at V = 100) and
        // Maglev its reshuffling (11.7% of entries change on average, up to 22%); mod N moves 91%.
        for (const [name, count] of Object.entries(moved)) {
          const fraction = count / keys.length;
          const allowance = name === "maglev" ? 0.2 : 0.08;
          expect(
            Math.abs(fraction - 1 / 11),
            `going from 10 to 11 nodes moved: ${report}; ${name} should move about 1/11 = 9.1%`,
          ).toBeLessThan(allowance);
        }
      },
      { seeds: 5 },
    );
  });
});
