import { todo } from "../../harness/index.js";
import { hash64, ringSize } from "./hash.js";

/**
 * Exercise 6.2 — virtual nodes and preference lists.
 *
 * Each node puts many tokens on the ring instead of one: with V tokens, a node owns V small arcs
 * scattered around the circle rather than one arc of random length, so its share of the keys
 * is a sum of V random pieces and the spread between nodes shrinks roughly as 1/√V. A node of
 * weight w gets round(V·w) tokens. Token i of node n sits at `hash64(`${n}#${i}`)`, so every
 * node that knows the members and their weights builds the same ring.
 *
 * A preference list is where a key's replicas live: walk clockwise from the key's position and
 * take the first R distinct physical nodes, skipping tokens of nodes already taken.
 */

/** One token: a position, the node it belongs to, and which of that node's tokens it is. */
export interface VirtualToken {
  position: bigint;
  node: string;
  index: number;
}

export interface VirtualNodeOptions {
  /** V: how many tokens a node of weight 1 puts on the ring. A whole number >= 1. */
  tokensPerNode: number;
}

export class VirtualNodeRing {
  constructor(options: VirtualNodeOptions) {
    todo(
      "6.2",
      `keep tokensPerNode (${options.tokensPerNode}); refuse one that is not a whole number >= 1`,
    );
  }

  /** Puts `node` on the ring with round(V·weight) tokens (at least one). Adding it again changes nothing. */
  add(node: string, weight = 1): void {
    todo(
      "6.2",
      `put round(V * ${weight}) tokens for "${node}" on the ring, token i at hash64("${node}#" + i)`,
    );
  }

  /** Takes `node` and all of its tokens off the ring. */
  remove(node: string): void {
    todo("6.2", `take every token of "${node}" off the ring`);
  }

  /** The nodes on the ring, sorted by name. */
  get nodes(): string[] {
    return todo("6.2", "return the names of the nodes on the ring, sorted");
  }

  /** Every token, ascending by position (a copy). */
  get tokens(): VirtualToken[] {
    return todo("6.2", "return a copy of every token, ascending by position");
  }

  /** The node of the first token at or after `position`, wrapping past the largest. */
  ownerOf(position: bigint): string {
    return todo(
      "6.2",
      `find the first token at or after ${position} (positions run to ${ringSize}), wrapping around`,
    );
  }

  /** The node that holds `key`. */
  nodeFor(key: string): string {
    return todo("6.2", `return the owner of hash64("${key}") = ${hash64(key)}`);
  }

  /**
   * The first `replicas` distinct nodes clockwise from `key`'s position, the owner first; every
   * node once if there are fewer nodes than that.
   */
  preferenceList(key: string, replicas: number): string[] {
    return todo(
      "6.2",
      `walk clockwise from "${key}" and collect ${replicas} distinct nodes, the owner first`,
    );
  }
}
