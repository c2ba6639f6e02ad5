import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { hash64, ringSize } from "./hash.js";
import { HashRing } from "./hash-ring.js";
import { randomKeys, randomNodeNames, randomPosition } from "./ring-testing.js";

// Exercise 6.1 — a hash ring. Run: npm run workbook -- test 6.1

/** A ring with `nodes` on it. */
function ringOf(nodes: readonly string[]): HashRing {
  const ring = new HashRing();
  for (const node of nodes) ring.add(node);
  return ring;
}

/** The owner by the rule itself, by looking at every token: the slow, obviously right way. */
function ownerByScan(nodes: readonly string[], position: bigint): string {
  const tokens = nodes
    .map((node) => ({ node, position: hash64(node) }))
    .sort((left, right) => (left.position < right.position ? -1 : 1));
  return (tokens.find((token) => token.position >= position) ?? tokens[0]!).node;
}

describe("6.1 A hash ring: the successor rule", () => {
  test("a position belongs to the node of the first token at or after it", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "ring");
      const nodes = randomNodeNames(random, random.int(1, 12));
      const ring = ringOf(nodes);
      for (let probe = 0; probe < 200; probe++) {
        const position = randomPosition(random);
        const expected = ownerByScan(nodes, position);
        const owner = ring.ownerOf(position);
        if (owner !== expected)
          expect.fail(
            `with nodes ${nodes.join(", ")}, position ${position} should belong to ${expected} (first token at or after it), but ownerOf said ${owner}`,
          );
      }
    });
  });

  test("the tokens are one per node, at hash64(node), in numeric order", () => {
    forEachSeed((seed) => {
      const nodes = randomNodeNames(new Random(seed, "ring"), 12);
      const expected = nodes
        .map((node) => ({ position: hash64(node), node }))
        .sort((left, right) => (left.position < right.position ? -1 : 1));
      const shown = (tokens: Array<{ position: bigint; node: string }>) =>
        tokens.map((token) => `${token.node}@${token.position}`).join(" ");
      expect(
        shown(ringOf(nodes).tokens),
        "ring.tokens, ascending as numbers (as text, 10 comes before 9)",
      ).toBe(shown(expected));
    });
  });

  test("a position exactly at a token belongs to that token's node", () => {
    const nodes = ["alpha", "bravo", "charlie", "delta"];
    const ring = ringOf(nodes);
    for (const node of nodes) {
      expect(
        ring.ownerOf(hash64(node)),
        `position ${hash64(node)} is ${node}'s token itself: "at or after" includes the token`,
      ).toBe(node);
    }
  });

  test("a position one past a token belongs to the next token's node", () => {
    const nodes = ["alpha", "bravo", "charlie", "delta"];
    const ring = ringOf(nodes);
    const tokens = nodes
      .map((node) => ({ node, position: hash64(node) }))
      .sort((left, right) => (left.position < right.position ? -1 : 1));
    for (const [index, token] of tokens.entries()) {
      const next = tokens[(index + 1) % tokens.length]!;
      expect(
        ring.ownerOf((token.position + 1n) % ringSize),
        `position ${token.position + 1n}, one past ${token.node}'s token, belongs to the next token clockwise, ${next.node}'s (a 64-bit value held in a number cannot tell the two positions apart)`,
      ).toBe(next.node);
    }
  });

  test("a position past the largest token wraps around to the smallest", () => {
    const nodes = ["alpha", "bravo", "charlie", "delta"];
    const ring = ringOf(nodes);
    const positions = nodes.map((node) => hash64(node)).sort((a, b) => (a < b ? -1 : 1));
    const smallest = ownerByScan(nodes, 0n);
    for (const position of [positions.at(-1)! + 1n, ringSize - 1n, 0n]) {
      expect(
        ring.ownerOf(position),
        `position ${position} is past the largest token (${positions.at(-1)}) or before the smallest, so it wraps to the smallest token's node`,
      ).toBe(smallest);
    }
  });

  test("looking up on an empty ring, or a position off the ring, is a clear error", () => {
    const ring = ringOf(["alpha"]);
    const emptied = ringOf(["alpha"]);
    emptied.remove("alpha");
    expect(() => emptied.ownerOf(5n), "ownerOf on a ring whose only node left").toThrow(/empty/i);
    expect(() => ring.ownerOf(-1n), "ownerOf(-1n)").toThrow(RangeError);
    expect(() => ring.ownerOf(ringSize), "ownerOf(2n ** 64n)").toThrow(RangeError);
  });

  test("nodeFor looks a key up at its hash", () => {
    const ring = ringOf(["alpha", "bravo", "charlie"]);
    for (const key of ["apple", "banana", "cherry", "damson", "elderberry"]) {
      expect(ring.nodeFor(key), `nodeFor("${key}") is ownerOf(hash64("${key}"))`).toBe(
        ring.ownerOf(hash64(key)),
      );
    }
  });
});

describe("6.1 A hash ring: membership changes", () => {
  test("adding a node moves keys only onto the new node", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "ring");
      const [joining, ...nodes] = randomNodeNames(random, random.int(3, 10));
      const ring = ringOf(nodes);
      const keys = randomKeys(random, 300);
      const before = keys.map((key) => ring.nodeFor(key));
      ring.add(joining!);
      keys.forEach((key, index) => {
        const after = ring.nodeFor(key);
        if (after !== before[index] && after !== joining)
          expect.fail(
            `adding ${joining} to ${nodes.length} nodes moved "${key}" from ${before[index]} to ${after}: a key may only move to the node that joined`,
          );
      });
    });
  });

  test("removing a node moves only its keys", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "ring");
      const nodes = randomNodeNames(random, random.int(3, 10));
      const leaving = random.pick(nodes);
      const ring = ringOf(nodes);
      const keys = randomKeys(random, 300);
      const before = keys.map((key) => ring.nodeFor(key));
      ring.remove(leaving);
      expect(ring.nodes, `the nodes after removing ${leaving}`).toEqual(
        nodes.filter((node) => node !== leaving).sort(),
      );
      keys.forEach((key, index) => {
        const after = ring.nodeFor(key);
        if (after === leaving) expect.fail(`"${key}" is still on ${leaving}, which was removed`);
        if (before[index] !== leaving && after !== before[index])
          expect.fail(
            `removing ${leaving} moved "${key}" from ${before[index]} to ${after}: only the removed node's keys may move`,
          );
      });
    });
  });

  test("the same membership gives the same ring on every node, whatever the order of joins", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "ring");
      const nodes = randomNodeNames(random, 8);
      const extra = randomNodeNames(random, 3).filter((node) => !nodes.includes(node));
      // One node hears of the members in one order; another in a different order, with some
      // nodes that join and leave again on the way.
      const first = ringOf(nodes);
      const second = new HashRing();
      for (const node of random.shuffle([...nodes, ...extra])) second.add(node);
      for (const node of extra) second.remove(node);
      second.add(nodes[0]!); // a repeated join changes nothing
      for (let probe = 0; probe < 200; probe++) {
        const position = randomPosition(random);
        if (first.ownerOf(position) !== second.ownerOf(position))
          expect.fail(
            `two rings of the same nodes ${nodes.join(", ")}, joined in different orders, disagree about position ${position}: ${first.ownerOf(position)} and ${second.ownerOf(position)}`,
          );
      }
      expect(second.tokens.length, "tokens after a repeated join").toBe(nodes.length);
    });
  });

  test("demonstration: hash mod N moves about N/(N+1) of the keys when one node joins", () => {
    // What the ring replaces. With 10 nodes going to 11, a key stays put only if its hash gives
    // the same remainder mod 10 and mod 11: about 1 in 11. So 10/11 = 91% move. Over 2,000
    // keys the moved fraction has a binomial standard deviation of sqrt(0.91 * 0.09 / 2000) =
    // 0.0064; the test allows six of them.
    forEachSeed(
      (seed) => {
        const keys = randomKeys(new Random(seed, "keys"), 2_000);
        const moduloOwner = (key: string, count: number) => Number(hash64(key) % BigInt(count));
        const moved = keys.filter((key) => moduloOwner(key, 10) !== moduloOwner(key, 11)).length;
        expect(
          Math.abs(moved / keys.length - 10 / 11),
          `${moved} of ${keys.length} keys moved from mod 10 to mod 11; the distance from 10/11`,
        ).toBeLessThan(0.04);
      },
      { seeds: 5 },
    );
  });
});
