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
  readonly #tokensPerNode: number;
  /** Sorted by position, ascending. */
  #tokens: VirtualToken[] = [];
  readonly #weights = new Map<string, number>();

  constructor(options: VirtualNodeOptions) {
    const count = options.tokensPerNode;
    if (!Number.isSafeInteger(count) || count < 1)
      throw new RangeError(`Expected tokensPerNode to be a whole number >= 1, got ${count}`);
    this.#tokensPerNode = count;
  }

  /** Puts `node` on the ring with round(V·weight) tokens (at least one). Adding it again changes nothing. */
  add(node: string, weight = 1): void {
    if (!(weight > 0 && Number.isFinite(weight)))
      throw new RangeError(`Expected a weight > 0 for ${node}, got ${weight}`);
    if (this.#weights.has(node)) return;
    this.#weights.set(node, weight);
    const count = Math.max(1, Math.round(this.#tokensPerNode * weight));
    for (let index = 0; index < count; index++) {
      // Each token gets its own name, so its own place: one hash for all of them would stack
      // V tokens on one spot, and the node would own one arc, as with no virtual nodes at all.
      this.#tokens.push({ position: hash64(`${node}#${index}`), node, index });
    }
    this.#tokens.sort(byPosition);
  }

  /** Takes `node` and all of its tokens off the ring. */
  remove(node: string): void {
    this.#weights.delete(node);
    this.#tokens = this.#tokens.filter((token) => token.node !== node);
  }

  /** The nodes on the ring, sorted by name. */
  get nodes(): string[] {
    return [...this.#weights.keys()].sort();
  }

  /** Every token, ascending by position (a copy). */
  get tokens(): VirtualToken[] {
    return this.#tokens.map((token) => ({ ...token }));
  }

  /** The node of the first token at or after `position`, wrapping past the largest. */
  ownerOf(position: bigint): string {
    return this.#tokens[this.#successor(position)]!.node;
  }

  /** The node that holds `key`. */
  nodeFor(key: string): string {
    return this.ownerOf(hash64(key));
  }

  /**
   * The first `replicas` distinct nodes clockwise from `key`'s position, the owner first; every
   * node once if there are fewer nodes than that.
   */
  preferenceList(key: string, replicas: number): string[] {
    if (!Number.isSafeInteger(replicas) || replicas < 1)
      throw new RangeError(`Expected replicas to be a whole number >= 1, got ${replicas}`);
    const wanted = Math.min(replicas, this.#weights.size);
    const start = this.#successor(hash64(key));
    const chosen: string[] = [];
    // At most one lap: after visiting every token, every node has been seen.
    for (let step = 0; step < this.#tokens.length && chosen.length < wanted; step++) {
      const node = this.#tokens[(start + step) % this.#tokens.length]!.node;
      // A node's tokens can sit next to each other; two replicas on one machine are one failure away
      // from none.
      if (!chosen.includes(node)) chosen.push(node);
    }
    return chosen;
  }

  /** The index of the first token at or after `position`, wrapping to 0 past the largest. */
  #successor(position: bigint): number {
    if (typeof position !== "bigint" || position < 0n || position >= ringSize)
      throw new RangeError(`Expected a position that is a bigint in [0, 2^64), got ${position}`);
    if (this.#tokens.length === 0) throw new Error("The ring is empty: add a node first");
    let low = 0;
    let high = this.#tokens.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#tokens[middle]!.position < position) low = middle + 1;
      else high = middle;
    }
    return low === this.#tokens.length ? 0 : low;
  }
}

/** By position; two tokens at the same position (a 1 in 2^64 chance) by node name. */
function byPosition(left: VirtualToken, right: VirtualToken): number {
  if (left.position !== right.position) return left.position < right.position ? -1 : 1;
  return left.node < right.node ? -1 : left.node > right.node ? 1 : left.index - right.index;
}
