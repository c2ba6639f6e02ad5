import { hash64, ringSize } from "./hash.js";

/**
 * Exercise 6.1 — a consistent hash ring (Karger et al. 1997), one token per node.
 *
 * Positions are 64-bit whole numbers, [0, 2^64), arranged in a circle. Each node has one token,
 * at `hash64(node)`. A key at position p belongs to the node of the first token clockwise from
 * p: the smallest token position >= p, or, past the largest token, the smallest token of all.
 */

/** One token on the ring: a position and the node it belongs to. */
export interface Token {
  position: bigint;
  node: string;
}

export class HashRing {
  /** Sorted by position, ascending, so a lookup is a binary search. */
  #tokens: Token[] = [];

  /** Puts `node` on the ring, with its token at `hash64(node)`. Adding it again changes nothing. */
  add(node: string): void {
    if (this.#tokens.some((token) => token.node === node)) return;
    this.#tokens.push({ position: hash64(node), node });
    // Compare as numbers: bigints sorted as text put 10 before 9, and the default sort does that.
    this.#tokens.sort(byPosition);
  }

  /** Takes `node` off the ring; its keys pass to the next token clockwise. */
  remove(node: string): void {
    this.#tokens = this.#tokens.filter((token) => token.node !== node);
  }

  /** The nodes on the ring, sorted by name. */
  get nodes(): string[] {
    return this.#tokens.map((token) => token.node).sort();
  }

  /** Every token, ascending by position (a copy: changing it does not change the ring). */
  get tokens(): Token[] {
    return this.#tokens.map((token) => ({ ...token }));
  }

  /** The node of the first token at or after `position`, wrapping past the largest. */
  ownerOf(position: bigint): string {
    if (typeof position !== "bigint" || position < 0n || position >= ringSize) {
      throw new RangeError(`Expected a position that is a bigint in [0, 2^64), got ${position}`);
    }
    if (this.#tokens.length === 0) throw new Error("The ring is empty: add a node first");
    const index = this.#firstAtOrAfter(position);
    // Past the largest token the ring wraps around to the smallest.
    const token = this.#tokens[index === this.#tokens.length ? 0 : index]!;
    return token.node;
  }

  /** The node that holds `key`: the owner of the key's position, `hash64(key)`. */
  nodeFor(key: string): string {
    return this.ownerOf(hash64(key));
  }

  /** The index of the first token whose position is >= `position`, or the length if none is. */
  #firstAtOrAfter(position: bigint): number {
    let low = 0;
    let high = this.#tokens.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#tokens[middle]!.position < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

function byPosition(left: Token, right: Token): number {
  return left.position < right.position ? -1 : left.position > right.position ? 1 : 0;
}
