import { todo } from "../../harness/index.js";

/**
 * Exercise 6.3, part 1 — jump consistent hash (Lamping and Veach 2014, "A Fast, Minimal Memory,
 * Consistent Hash Algorithm").
 *
 * Buckets are numbered 0 to n − 1 and nothing is stored. Think of a key jumping forward through
 * the bucket numbers: from bucket b it jumps to the next j at which, as buckets are added one
 * at a time, it would move; the last jump below n is its bucket. A 64-bit linear congruential
 * generator seeded with the key decides where each jump lands, so every key makes the same
 * jumps on every machine. Going from n to n + 1 buckets, a key moves with probability
 * 1/(n + 1), and only ever to the new bucket.
 *
 * The paper's C++, in 64-bit unsigned arithmetic:
 *   int64_t b = -1, j = 0;
 *   while (j < num_buckets) {
 *     b = j;
 *     key = key * 2862933555777941757ULL + 1;
 *     j = (b + 1) * (double(1LL << 31) / double((key >> 33) + 1));
 *   }
 *   return b;
 */

/** The bucket in [0, buckets) for a 64-bit `key` (a bigint in [0, 2^64)). */
export function jumpHash(key: bigint, buckets: number): number {
  return todo(
    "6.3",
    `jump hash of key ${key} into ${buckets} buckets: the paper's loop, with the key as a 64-bit bigint`,
  );
}
