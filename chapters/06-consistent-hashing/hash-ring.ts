import { todo } from "../../harness/index.js";
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
  /** Puts `node` on the ring, with its token at `hash64(node)`. Adding it again changes nothing. */
  add(node: string): void {
    todo("6.1", `put a token for "${node}" at hash64(node), keeping the tokens sorted by position`);
  }

  /** Takes `node` off the ring; its keys pass to the next token clockwise. */
  remove(node: string): void {
    todo("6.1", `take the token of "${node}" off the ring`);
  }

  /** The nodes on the ring, sorted by name. */
  get nodes(): string[] {
    return todo("6.1", "return the names of the nodes on the ring, sorted");
  }

  /** Every token, ascending by position (a copy: changing it does not change the ring). */
  get tokens(): Token[] {
    return todo("6.1", "return a copy of the tokens, ascending by position");
  }

  /** The node of the first token at or after `position`, wrapping past the largest. */
  ownerOf(position: bigint): string {
    return todo(
      "6.1",
      `binary-search the first token at or after position ${position} (of ${ringSize}), wrapping around past the largest`,
    );
  }

  /** The node that holds `key`: the owner of the key's position, `hash64(key)`. */
  nodeFor(key: string): string {
    return todo("6.1", `return the owner of hash64("${key}") = ${hash64(key)}`);
  }
}
