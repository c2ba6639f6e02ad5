/**
 * A small seeded pseudo-random generator (sfc32, from PractRand's test suite). It is fast,
 * passes the usual statistical batteries, and, unlike Math.random, gives the same sequence for
 * the same seed on every machine: the basis of replayable runs.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, stream = "") {
    // Mixing the stream name into the seed gives each node its own sequence, so a node that
    // draws one more number does not shift every network delay after it.
    const mixed = hashString(`${seed}/${stream}`);
    this.#a = mixed[0];
    this.#b = mixed[1];
    this.#c = mixed[2];
    this.#d = mixed[3];
    // The first outputs of sfc32 still echo the seed; discarding a few decorrelates streams.
    for (let warmup = 0; warmup < 12; warmup++) this.next();
  }

  /** A number in [0, 1). */
  next(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const result = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.#c = (rotated + result) | 0;
    return (result >>> 0) / 4294967296;
  }

  /** An integer between `min` and `max`, both included. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`Expected integers min <= max, got min=${min}, max=${max}`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `chance`. */
  chance(chance: number): boolean {
    return chance > 0 && this.next() < chance;
  }

  /** A number uniformly between `min` and `max`. */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Expected a non-empty array to pick from");
    return items[this.int(0, items.length - 1)]!;
  }

  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = this.int(0, index);
      [copy[index], copy[other]] = [copy[other]!, copy[index]!];
    }
    return copy;
  }
}

/** cyrb128: turns a string into four well-mixed 32-bit words to seed sfc32. */
function hashString(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = h2 ^ Math.imul(h1 ^ code, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ code, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ code, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ code, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
