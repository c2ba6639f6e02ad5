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

const multiplier = 2862933555777941757n;
const twoTo31 = 2 ** 31;

/** The bucket in [0, buckets) for a 64-bit `key` (a bigint in [0, 2^64)). */
export function jumpHash(key: bigint, buckets: number): number {
  if (typeof key !== "bigint" || key < 0n || key >= 1n << 64n)
    throw new RangeError(`Expected a key that is a bigint in [0, 2^64), got ${key}`);
  if (!Number.isSafeInteger(buckets) || buckets < 1 || buckets > twoTo31)
    throw new RangeError(`Expected a number of buckets between 1 and 2^31, got ${buckets}`);
  let state = key;
  let bucket = -1;
  let next = 0;
  while (next < buckets) {
    bucket = next;
    // C's uint64_t wraps around by itself; a bigint grows, so keep the low 64 bits.
    state = BigInt.asUintN(64, state * multiplier + 1n);
    // (state >> 33) is a 31-bit number, so Number() holds it exactly; `>>>` would throw here,
    // because BigInt has no unsigned shift (and needs none: state is never negative).
    next = Math.floor((bucket + 1) * (twoTo31 / (Number(state >> 33n) + 1)));
  }
  return bucket;
}
