/**
 * The chapter's one hash function, given to you: XXH64 (Yann Collet's xxHash, 64-bit variant)
 * of a string's UTF-8 bytes. Every node, client and test uses it, so every node that knows the
 * same members builds the same ring.
 *
 * Why 64 bits, and why BigInt: a ring of 32-bit positions has about 4 billion places, and with
 * thousands of tokens and millions of keys the arcs get coarse; production rings (Cassandra's
 * Murmur3 partitioner, Envoy's ring hash) use 64 bits. A JavaScript `number` holds integers
 * exactly only up to 2^53, so a 64-bit hash in a `number` silently loses its low bits and two
 * different positions compare as equal. A `bigint` is exact: compare with `<`, never turn one
 * into text or a `number`. And `>>>` does not exist for BigInt (it throws a TypeError): use `>>`,
 * which is the same thing on values that are never negative, as these are.
 *
 * XXH64 was chosen over FNV-1a because FNV-1a's high bits barely change between keys that differ
 * only in their last character ("node-1#0", "node-1#1"), and a ring sorts by the high bits first.
 *
 * @example
 * hash64("") === 0xef46db3751d8e999n; // the published test vector
 * hash64("node-3#17"); // the position of node-3's 18th token
 */

const prime1 = 0x9e3779b185ebca87n;
const prime2 = 0xc2b2ae3d27d4eb4fn;
const prime3 = 0x165667b19e3779f9n;
const prime4 = 0x85ebca77c2b2ae63n;
const prime5 = 0x27d4eb2f165667c5n;

/** Every position on the ring is a whole number in [0, 2^64). */
export const ringSize = 1n << 64n;

const encoder = new TextEncoder();

/** The XXH64 hash of `text`'s UTF-8 bytes, with `seed` (0 unless you need independent hashes). */
export function hash64(text: string, seed = 0n): bigint {
  if (typeof text !== "string")
    throw new TypeError(`Expected a string to hash, got ${typeof text}`);
  const bytes = encoder.encode(text);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  const seed64 = BigInt.asUintN(64, seed);
  let offset = 0;
  let hash: bigint;
  if (length >= 32) {
    let lane1 = wrap(seed64 + prime1 + prime2);
    let lane2 = wrap(seed64 + prime2);
    let lane3 = seed64;
    let lane4 = wrap(seed64 - prime1);
    for (; offset + 32 <= length; offset += 32) {
      lane1 = round(lane1, read64(view, offset));
      lane2 = round(lane2, read64(view, offset + 8));
      lane3 = round(lane3, read64(view, offset + 16));
      lane4 = round(lane4, read64(view, offset + 24));
    }
    hash = wrap(
      rotateLeft(lane1, 1n) +
        rotateLeft(lane2, 7n) +
        rotateLeft(lane3, 12n) +
        rotateLeft(lane4, 18n),
    );
    for (const lane of [lane1, lane2, lane3, lane4]) {
      hash = wrap((hash ^ round(0n, lane)) * prime1 + prime4);
    }
  } else {
    hash = wrap(seed64 + prime5);
  }
  hash = wrap(hash + BigInt(length));
  for (; offset + 8 <= length; offset += 8) {
    hash ^= round(0n, read64(view, offset));
    hash = wrap(rotateLeft(hash, 27n) * prime1 + prime4);
  }
  if (offset + 4 <= length) {
    hash ^= wrap(read32(view, offset) * prime1);
    hash = wrap(rotateLeft(hash, 23n) * prime2 + prime3);
    offset += 4;
  }
  for (; offset < length; offset++) {
    hash ^= wrap(BigInt(bytes[offset]!) * prime5);
    hash = wrap(rotateLeft(hash, 11n) * prime1);
  }
  // The avalanche: every input bit ends up affecting every output bit.
  hash ^= hash >> 33n;
  hash = wrap(hash * prime2);
  hash ^= hash >> 29n;
  hash = wrap(hash * prime3);
  hash ^= hash >> 32n;
  return hash;
}

/** Reduces to 64 bits, as C's uint64_t arithmetic does by itself. */
function wrap(value: bigint): bigint {
  return BigInt.asUintN(64, value);
}

function rotateLeft(value: bigint, bits: bigint): bigint {
  return wrap((value << bits) | (value >> (64n - bits)));
}

function round(accumulator: bigint, input: bigint): bigint {
  return wrap(rotateLeft(wrap(accumulator + input * prime2), 31n) * prime1);
}

/** Little-endian, as XXH64 reads its input. */
function read64(view: DataView, offset: number): bigint {
  return view.getBigUint64(offset, true);
}

function read32(view: DataView, offset: number): bigint {
  return BigInt(view.getUint32(offset, true));
}
