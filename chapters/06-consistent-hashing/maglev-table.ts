import { todo } from "../../harness/index.js";
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
  constructor(backends: readonly string[], size: number) {
    todo(
      "6.3",
      `fill a table of ${size} entries (refuse a size that is not prime) from ${backends.length} backends, taking turns in name order; the first offset is hash64(name, 0n) % M = ${backends[0] === undefined ? "?" : hash64(backends[0], 0n) % BigInt(size)}`,
    );
  }

  /** M: how many entries the table has. */
  get size(): number {
    return todo("6.3", "return the number of entries in the table");
  }

  /** The backend named by each entry (a copy). */
  get entries(): string[] {
    return todo("6.3", "return a copy of the table's entries");
  }

  /** The backend for `key`: entry hash64(key) mod M. */
  backendFor(key: string): string {
    return todo("6.3", `return the backend in entry hash64("${key}") mod M`);
  }
}
