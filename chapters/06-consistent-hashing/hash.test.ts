import { describe, expect, test } from "vitest";
import { hash64, ringSize } from "./hash.js";

// The chapter's shared hash, given to you (not an exercise). These are published XXH64 values,
// so a hash that passes them places tokens exactly where every other XXH64 would.

describe("6 the shared hash: XXH64", () => {
  // ClickHouse's own tests (tests/queries/0_stateless/00803_xxhash.sql) and xxHash's ports.
  const published: Array<[string, bigint]> = [
    ["", 0xef46db3751d8e999n],
    ["a", 0xd24ec4f1a98c6e5bn],
    ["abc", 0x44bc2cf5ad770999n],
    ["ABC", 0xe66ae7354fcfee98n],
    ["foo", 3728699739546630719n],
    ["xxhash", 0x32dd38952c4bc720n],
    // 32 and 33 bytes take the four-lane path that keys shorter than 32 bytes never reach.
    ["0123456789:;<=>?@ABCDEFGHIJKLMNO", 0x96ee2fa935fdd556n],
    ["0123456789:;<=>?@ABCDEFGHIJKLMNOP", 0xa5cdc6940c6fde9en],
  ];

  test("hash64 matches published XXH64 values", () => {
    for (const [text, expected] of published) {
      expect(hash64(text).toString(16), `hash64(${JSON.stringify(text)})`).toBe(
        expected.toString(16),
      );
    }
  });

  test("a seed gives an independent hash, matching published seeded values", () => {
    const seed = 0x1234567890abcdefn;
    expect(hash64("", seed).toString(16), "hash64('', 0x1234567890abcdef)").toBe(
      "a2f5c44d0f46c872",
    );
    expect(hash64("01234567", seed).toString(16), "hash64('01234567', 0x1234567890abcdef)").toBe(
      "5981b4a4e0a07d38",
    );
    expect(hash64("node-1", 1n), "seed 1 and seed 0 differ").not.toBe(hash64("node-1", 0n));
  });

  test("every hash is a position on the ring, in [0, 2^64), and most are beyond 2^53", () => {
    let beyondNumbers = 0;
    for (let index = 0; index < 200; index++) {
      const position = hash64(`key-${index}`);
      expect(position >= 0n && position < ringSize, `hash64("key-${index}")`).toBe(true);
      if (position > BigInt(Number.MAX_SAFE_INTEGER)) beyondNumbers++;
    }
    // All but 1 in 2^11 of them: a `number` cannot hold these exactly.
    expect(beyondNumbers, "hashes above 2^53, of 200").toBeGreaterThan(190);
  });
});
