import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { hash64 } from "./hash.js";
import { VirtualNodeRing } from "./vnode-ring.js";
import { quorumLossProbability } from "./replica-sets.measure.js";
import {
  maximumToAverage,
  randomKeys,
  randomNodeNames,
  randomPosition,
  ringShares,
} from "./ring-testing.js";

// Exercise 6.2 — virtual nodes and preference lists. Run: npm run workbook -- test 6.2
//
// The statistical tests build a new ring for every seed (the node names come from the seed)
// and measure each node's share of the ring at 5,000 evenly spaced positions. The notes
// ("How even is the load?") derive each tolerance; the reference solution passes every one of
// 1,000 seeds.

const probes = 5_000;

/** A ring of `nodes`, each with weight 1 unless `weights` says otherwise. */
function ringOf(
  tokensPerNode: number,
  nodes: readonly string[],
  weights: Record<string, number> = {},
): VirtualNodeRing {
  const ring = new VirtualNodeRing({ tokensPerNode });
  for (const node of nodes) ring.add(node, weights[node] ?? 1);
  return ring;
}

/** Every token the rule puts on the ring, sorted: what the ring must contain. */
function expectedTokens(tokensPerNode: number, nodes: Record<string, number>) {
  return Object.entries(nodes)
    .flatMap(([node, weight]) =>
      Array.from({ length: Math.max(1, Math.round(tokensPerNode * weight)) }, (_, index) => ({
        position: hash64(`${node}#${index}`),
        node,
      })),
    )
    .sort((left, right) => (left.position < right.position ? -1 : 1));
}

/** The preference list by the rule, from the expected tokens: slow and obviously right. */
function preferenceByScan(
  tokens: Array<{ position: bigint; node: string }>,
  key: string,
  replicas: number,
): string[] {
  const position = hash64(key);
  let start = tokens.findIndex((token) => token.position >= position);
  if (start === -1) start = 0;
  const chosen: string[] = [];
  for (let step = 0; step < tokens.length; step++) {
    const node = tokens[(start + step) % tokens.length]!.node;
    if (!chosen.includes(node) && chosen.length < replicas) chosen.push(node);
  }
  return chosen;
}

/** The coefficient of variation (standard deviation / mean) of the nodes' shares. */
function spread(shares: Map<string, number>, nodes: readonly string[]): number {
  const values = nodes.map((node) => shares.get(node) ?? 0);
  const average = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - average) ** 2, 0) / values.length;
  return Math.sqrt(variance) / average;
}

describe("6.2 Virtual nodes: the tokens", () => {
  test("a node of weight w has round(V·w) tokens, token i at hash64(node#i)", () => {
    const weights = { alpha: 1, bravo: 2, charlie: 0.5, delta: 1.26 };
    const ring = ringOf(10, Object.keys(weights), weights);
    const shown = (tokens: Array<{ position: bigint; node: string }>) =>
      tokens.map((token) => `${token.node}@${token.position}`);
    expect(
      shown(ring.tokens),
      "tokens of alpha (weight 1), bravo (2), charlie (0.5) and delta (1.26) with V = 10, ascending",
    ).toEqual(shown(expectedTokens(10, weights)));
  });

  test("a position belongs to the node of the first token at or after it, wrapping around", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "vnodes");
      const nodes = randomNodeNames(random, random.int(2, 6));
      const tokens = expectedTokens(5, Object.fromEntries(nodes.map((node) => [node, 1])));
      const ring = ringOf(5, nodes);
      const positions = [
        ...Array.from({ length: 100 }, () => randomPosition(random)),
        tokens.at(-1)!.position + 1n,
        tokens[0]!.position,
      ];
      for (const position of positions) {
        const expected = (tokens.find((token) => token.position >= position) ?? tokens[0]!).node;
        if (ring.ownerOf(position) !== expected)
          expect.fail(
            `position ${position} should belong to ${expected}, the node of the first token at or after it, but ownerOf said ${ring.ownerOf(position)}`,
          );
      }
    });
  });

  test("removing a node takes all of its tokens off the ring", () => {
    const ring = ringOf(20, ["alpha", "bravo", "charlie"]);
    ring.remove("bravo");
    expect(ring.nodes, "nodes after removing bravo").toEqual(["alpha", "charlie"]);
    expect(
      ring.tokens.filter((token) => token.node === "bravo").length,
      "bravo's tokens left on the ring",
    ).toBe(0);
    expect(ring.tokens.length, "tokens left: 20 each for alpha and charlie").toBe(40);
  });
});

describe("6.2 Virtual nodes: load spread over many seeds", () => {
  test("with 10 nodes of 100 tokens, the busiest node owns less than 1.5 times the average", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "vnodes");
      const nodes = randomNodeNames(random, 10);
      const ring = ringOf(100, nodes);
      const ratio = maximumToAverage(
        ringShares((p) => ring.ownerOf(p), random, probes),
        nodes,
      );
      expect(
        ratio,
        `the busiest of 10 nodes with 100 tokens each owns ${ratio.toFixed(2)} times the average share; with V tokens a node's share varies by about 1/√V = 10%, so 1.5 is five standard deviations away`,
      ).toBeLessThan(1.5);
    });
  });

  test("more tokens per node spread the load more evenly: 1, then 10, then 100", () => {
    // One ring's spread is itself noisy (at V = 1 it ranges from 0.3 to 1.9 over 1,000 seeds),
    // so V = 1 and V = 10 are averaged over 8 rings each, which are cheap to build.
    forEachSeed((seed) => {
      const random = new Random(seed, "vnodes");
      const averageSpread = (count: number, rings: number, probeCount: number) => {
        let total = 0;
        for (let ring = 0; ring < rings; ring++) {
          const nodes = randomNodeNames(random, 10);
          const built = ringOf(count, nodes);
          total += spread(
            ringShares((p) => built.ownerOf(p), random, probeCount),
            nodes,
          );
        }
        return total / rings;
      };
      const spreads = [
        averageSpread(1, 8, 1_000),
        averageSpread(10, 8, 1_000),
        averageSpread(100, 1, probes),
      ];
      const [one, ten, hundred] = spreads.map((value) => value.toFixed(3));
      expect(
        spreads[0]! > spreads[1]! && spreads[1]! > spreads[2]!,
        `the spread of shares (standard deviation / mean) with 1, 10 and 100 tokens per node was ${one}, ${ten}, ${hundred}; it should fall, roughly as 1/√V`,
      ).toBe(true);
      expect(
        spreads[2],
        `the spread with 100 tokens per node, ${hundred}, should be near 1/√100 = 0.1`,
      ).toBeLessThan(0.22);
    });
  });

  test("adding an 11th node moves about 1/11 of the ring, all of it onto the new node", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "vnodes");
      const [joining, ...nodes] = randomNodeNames(random, 11);
      const ring = ringOf(100, nodes);
      const spacing = (1n << 64n) / BigInt(probes);
      const start = randomPosition(random) % spacing;
      const positions = Array.from(
        { length: probes },
        (_, probe) => start + BigInt(probe) * spacing,
      );
      const before = positions.map((position) => ring.ownerOf(position));
      ring.add(joining!);
      let moved = 0;
      positions.forEach((position, index) => {
        const after = ring.ownerOf(position);
        if (after === before[index]) return;
        if (after !== joining)
          expect.fail(
            `adding ${joining} moved position ${position} from ${before[index]} to ${after}: positions may only move to the node that joined`,
          );
        moved++;
      });
      const fraction = moved / probes;
      expect(
        Math.abs(fraction - 1 / 11),
        `adding an 11th node moved ${(100 * fraction).toFixed(1)}% of the ring; it should be about 1/11 = 9.1% (its share has a standard deviation of about 0.9%)`,
      ).toBeLessThan(0.045);
    });
  });

  test("a node of weight 2 owns about twice the share of a node of weight 1", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "vnodes");
      const nodes = randomNodeNames(random, 10);
      const heavy = nodes[0]!;
      const ring = ringOf(100, nodes, { [heavy]: 2 });
      const shares = ringShares((p) => ring.ownerOf(p), random, probes);
      const others = nodes.slice(1).map((node) => shares.get(node) ?? 0);
      const average = others.reduce((sum, value) => sum + value, 0) / others.length;
      const ratio = (shares.get(heavy) ?? 0) / average;
      expect(
        ratio > 1.3 && ratio < 2.8,
        `${heavy}, of weight 2, owns ${ratio.toFixed(2)} times the average share of the nine nodes of weight 1; it should be about 2`,
      ).toBe(true);
    });
  });

  test("a node's keys spread over the other nodes when it leaves, not onto one successor", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "vnodes");
      const nodes = randomNodeNames(random, 10);
      const leaving = nodes[0]!;
      const ring = ringOf(100, nodes);
      const spacing = (1n << 64n) / BigInt(probes);
      const start = randomPosition(random) % spacing;
      const positions = Array.from(
        { length: probes },
        (_, probe) => start + BigInt(probe) * spacing,
      );
      const before = positions.map((position) => ring.ownerOf(position));
      ring.remove(leaving);
      const received = new Map<string, number>();
      let handedOver = 0;
      positions.forEach((position, index) => {
        const after = ring.ownerOf(position);
        if (after === leaving)
          expect.fail(`position ${position} is still on ${leaving}, which left`);
        if (before[index] !== leaving) {
          if (after !== before[index])
            expect.fail(
              `removing ${leaving} moved position ${position} from ${before[index]} to ${after}: only the leaving node's positions may move`,
            );
          return;
        }
        handedOver++;
        received.set(after, (received.get(after) ?? 0) + 1);
      });
      const largest = Math.max(...received.values()) / handedOver;
      expect(
        largest,
        `one node took ${(100 * largest).toFixed(0)}% of what ${leaving} held; with 100 tokens each, its arcs pass to successors spread over all nine others (about 11% each)`,
      ).toBeLessThan(0.5);
    });
  });
});

describe("6.2 Preference lists", () => {
  test("the preference list starts at the key's owner and names R distinct nodes clockwise", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "preference");
      const nodes = randomNodeNames(random, random.int(3, 8));
      const tokens = expectedTokens(4, Object.fromEntries(nodes.map((node) => [node, 1])));
      const ring = ringOf(4, nodes);
      for (const key of randomKeys(random, 60)) {
        const expected = preferenceByScan(tokens, key, 3);
        const list = ring.preferenceList(key, 3);
        if (list.join() !== expected.join())
          expect.fail(
            `the preference list of "${key}" for 3 replicas should be ${expected.join(", ")} (the owner, then the next distinct nodes clockwise), but it was ${list.join(", ")}`,
          );
      }
    });
  });

  test("the preference list never names a node twice, even where one node's tokens are neighbours", () => {
    forEachSeed((seed) => {
      const random = new Random(seed, "preference");
      // With 3 nodes of 50 tokens, tokens of the same node are often next to each other.
      const nodes = randomNodeNames(random, 3);
      const ring = ringOf(50, nodes);
      for (const key of randomKeys(random, 60)) {
        const list = ring.preferenceList(key, 3);
        if (new Set(list).size !== list.length || list.length !== 3)
          expect.fail(
            `the preference list of "${key}" for 3 replicas on 3 nodes was ${list.join(", ")}: it must name each of the 3 nodes exactly once`,
          );
      }
    });
  });

  test("asking for more replicas than there are nodes names every node once", () => {
    const ring = ringOf(8, ["alpha", "bravo"]);
    const list = ring.preferenceList("some-key", 5);
    expect([...list].sort(), "preferenceList('some-key', 5) on alpha and bravo").toEqual([
      "alpha",
      "bravo",
    ]);
    expect(list[0], "the owner comes first").toBe(ring.nodeFor("some-key"));
  });
});

describe("6.2 The measurement: two failures and three replicas", () => {
  test("with one token per node, two failures break a quorum only when they are neighbours: 24 of 66 pairs", () => {
    // With one token each, the replica sets are the 12 runs of three neighbours on the ring;
    // they share the 12 pairs of neighbours and the 12 pairs one apart, 24 of the 66 pairs.
    forEachSeed(
      (seed) => {
        const probability = quorumLossProbability(new Random(seed, "replica-sets"), 12, 1);
        expect(
          probability,
          `the fraction of pairs of 12 nodes that share a replica set, with one token each`,
        ).toBeCloseTo(24 / 66, 10);
      },
      { seeds: 5 },
    );
  });

  test("with 16 tokens per node, almost every pair of failures breaks some quorum", () => {
    forEachSeed(
      (seed) => {
        const probability = quorumLossProbability(new Random(seed, "replica-sets"), 12, 16);
        expect(
          probability,
          "the fraction of pairs of 12 nodes that share a replica set, with 16 tokens each (about 192 ranges, each sharing 3 of the 66 pairs)",
        ).toBeGreaterThan(0.9);
      },
      { seeds: 5 },
    );
  });
});
