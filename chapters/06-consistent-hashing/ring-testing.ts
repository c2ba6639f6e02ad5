import type { Random } from "../../harness/testing.js";
import { ringSize } from "./hash.js";

/**
 * Test support for chapter 6: random rings and the measurements the statistical tests make.
 * Every random choice comes from a seeded `Random`, so a failing seed replays exactly.
 */

/** A uniformly random position on the ring, in [0, 2^64). */
export function randomPosition(random: Random): bigint {
  const high = BigInt(random.int(0, 0xffffffff));
  const low = BigInt(random.int(0, 0xffffffff));
  return (high << 32n) | low;
}

/** `count` distinct node names that differ from seed to seed, so every seed builds a new ring. */
export function randomNodeNames(random: Random, count: number): string[] {
  const kinds = ["cache", "db", "web", "node"];
  const names = new Set<string>();
  while (names.size < count) names.add(`${random.pick(kinds)}-${random.int(1, 999_999)}`);
  return [...names];
}

/** `count` distinct keys, different for every seed. */
export function randomKeys(random: Random, count: number): string[] {
  const prefix = random.int(1, 999_999);
  return Array.from({ length: count }, (_, index) => `user:${prefix}:${index}`);
}

/**
 * The share of the ring each node owns, estimated at `probes` evenly spaced positions (from a
 * random starting offset). Evenly spaced probes measure arcs with an error of at most one
 * spacing per arc, far less noise than random keys: with 100 tokens per node and 5,000 probes a
 * node's share is off by about √(100 / 6) / 5,000 = 0.08% of the ring (each of its arcs is off by less than one spacing, either way, independently).
 */
export function ringShares(
  ownerOf: (position: bigint) => string,
  random: Random,
  probes: number,
): Map<string, number> {
  const spacing = ringSize / BigInt(probes);
  const start = randomPosition(random) % spacing;
  const counts = new Map<string, number>();
  for (let probe = 0; probe < probes; probe++) {
    const owner = ownerOf(start + BigInt(probe) * spacing);
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return new Map([...counts].map(([node, count]) => [node, count / probes]));
}

/** The largest share divided by the mean share over `nodes` (a node owning nothing counts 0). */
export function maximumToAverage(shares: Map<string, number>, nodes: readonly string[]): number {
  const values = nodes.map((node) => shares.get(node) ?? 0);
  const average = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.max(...values) / average;
}

/** The owner of every key, so two moments can be compared. */
export function owners(keys: readonly string[], ownerOf: (key: string) => string): string[] {
  return keys.map((key) => ownerOf(key));
}
