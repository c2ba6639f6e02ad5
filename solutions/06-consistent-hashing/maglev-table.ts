import { hash64 } from "./hash.js";

/**
 * Exercise 6.3, part 3 — Maglev's lookup table (Eisenbud et al. 2016, "Maglev: A Fast and
 * Reliable Software Network Load Balancer", section 3.4).
 *
 * A table of M entries, M prime, each naming a backend; a key goes to entry hash64(key) mod M.
 * Each backend has its own permutation of the entries:
 *   offset = hash64(name, 0n) mod M,  skip = hash64(name, 1n) mod (M − 1) + 1,
 *   its j-th preference = (offset + j · skip) mod M.
 * Because M is prime and 1 <= skip < M, every permutation visits every entry. The backends,
 * sorted by name, take turns: each claims its next preferred entry that is still empty, until
 * the table is full. So each backend owns ⌊M/N⌋ or ⌈M/N⌉ entries, and the table depends only on
 * the set of backends.
 */
export class MaglevTable {
  readonly #entries: string[];

  constructor(backends: readonly string[], size: number) {
    if (!isPrime(size))
      throw new RangeError(
        `Expected a prime table size (so every skip visits every entry), got ${size}`,
      );
    if (backends.length === 0) throw new Error("Expected at least one backend");
    if (new Set(backends).size !== backends.length)
      throw new Error(`Expected distinct backends, got ${backends.join(", ")}`);
    // Sorted, so that every machine that knows the same backends builds the same table.
    const sorted = [...backends].sort();
    const offsets = sorted.map((name) => Number(hash64(name, 0n) % BigInt(size)));
    const skips = sorted.map((name) => Number(hash64(name, 1n) % BigInt(size - 1)) + 1);
    const next = sorted.map(() => 0);
    const entries: Array<string | undefined> = new Array<string | undefined>(size).fill(undefined);
    let filled = 0;
    while (filled < size) {
      for (let turn = 0; turn < sorted.length && filled < size; turn++) {
        let entry = (offsets[turn]! + next[turn]! * skips[turn]!) % size;
        while (entries[entry] !== undefined) {
          next[turn]!++;
          entry = (offsets[turn]! + next[turn]! * skips[turn]!) % size;
        }
        entries[entry] = sorted[turn]!;
        next[turn]!++;
        filled++;
      }
    }
    this.#entries = entries as string[];
  }

  /** M: how many entries the table has. */
  get size(): number {
    return this.#entries.length;
  }

  /** The backend named by each entry (a copy). */
  get entries(): string[] {
    return [...this.#entries];
  }

  /** The backend for `key`: entry hash64(key) mod M. */
  backendFor(key: string): string {
    return this.#entries[Number(hash64(key) % BigInt(this.#entries.length))]!;
  }
}

function isPrime(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor++) {
    if (value % divisor === 0) return false;
  }
  return true;
}
