import { hash64 } from "./hash.js";

/**
 * Exercise 6.4 — consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam
 * 2018).
 *
 * A ring of servers with V tokens each, as in 6.2, and items placed on it. Every server has the
 * same capacity, ⌈(1 + ε)·m/n⌉ for m items on n servers, so no server holds more than (1 + ε)
 * times the average. An item starts at the first token at or after its position, hash64(item),
 * and walks clockwise, token by token, until it reaches a server with room.
 *
 * The assignment is a function of the servers and the items alone: after any change the items
 * are placed again (at the next read), one at a time, in order of their position (then name),
 * each walking from its own position. So every node that knows the same servers and items agrees on it, and an
 * item moves only when a change on its way round the ring makes it.
 */

export interface BoundedLoadOptions {
  /** V: tokens per server, a whole number >= 1; token i of server s is at hash64(`${s}#${i}`). */
  tokensPerNode: number;
  /** ε > 0: how far above the average a server may go. */
  epsilon: number;
}

interface Token {
  position: bigint;
  node: string;
}

export class BoundedLoadRing {
  readonly #tokensPerNode: number;
  readonly #epsilon: number;
  /** Sorted by position. */
  #tokens: Token[] = [];
  /** Each item's position, kept so that an item is hashed once. */
  readonly #items = new Map<string, bigint>();
  #assignment = new Map<string, string>();
  /** Whether a change since the last placement means the items must be placed again. */
  #stale = false;

  constructor(options: BoundedLoadOptions) {
    if (!Number.isSafeInteger(options.tokensPerNode) || options.tokensPerNode < 1)
      throw new RangeError(
        `Expected tokensPerNode to be a whole number >= 1, got ${options.tokensPerNode}`,
      );
    if (!(options.epsilon > 0))
      throw new RangeError(`Expected epsilon > 0, got ${options.epsilon}`);
    this.#tokensPerNode = options.tokensPerNode;
    this.#epsilon = options.epsilon;
  }

  /** Adds a server (adding it again changes nothing), then places every item again. */
  addNode(node: string): void {
    if (this.#tokens.some((token) => token.node === node)) return;
    for (let index = 0; index < this.#tokensPerNode; index++)
      this.#tokens.push({ position: hash64(`${node}#${index}`), node });
    this.#tokens.sort((left, right) =>
      left.position !== right.position
        ? left.position < right.position
          ? -1
          : 1
        : left.node < right.node
          ? -1
          : 1,
    );
    this.#stale = true;
  }

  /** Removes a server; its items, and any others whose walk changes, are placed again. */
  removeNode(node: string): void {
    this.#tokens = this.#tokens.filter((token) => token.node !== node);
    this.#stale = true;
  }

  /** Adds an item (adding it again changes nothing). */
  addItem(item: string): void {
    if (this.#items.has(item)) return;
    this.#items.set(item, hash64(item));
    this.#stale = true;
  }

  /** Removes an item; others may move back towards their own position. */
  removeItem(item: string): void {
    if (this.#items.delete(item)) this.#stale = true;
  }

  /** ⌈(1 + ε)·m/n⌉, the most items one server may hold; 0 with no servers. */
  get capacity(): number {
    const servers = this.#tokens.length / this.#tokensPerNode;
    if (servers === 0) return 0;
    // The ceiling, not the floor: n·⌈(1 + ε)m/n⌉ >= m always, so every item finds room.
    return Math.ceil(((1 + this.#epsilon) * this.#items.size) / servers);
  }

  /** The server that holds `item`. */
  nodeOf(item: string): string {
    const node = this.#current().get(item);
    if (node === undefined) throw new Error(`"${item}" is not an item here`);
    return node;
  }

  /** Every item and the server that holds it. */
  get assignment(): Map<string, string> {
    return new Map(this.#current());
  }

  /** How many items each server holds (servers with none included, at 0). */
  get loads(): Map<string, number> {
    const loads = new Map<string, number>();
    for (const token of this.#tokens) loads.set(token.node, 0);
    for (const node of this.#current().values()) loads.set(node, (loads.get(node) ?? 0) + 1);
    return loads;
  }

  /** The assignment, placing the items again first if anything changed since. */
  #current(): Map<string, string> {
    // Placing is O(m log m); doing it once per read rather than once per change lets a caller
    // add a thousand items without placing them a thousand times.
    if (this.#stale) {
      this.#place();
      this.#stale = false;
    }
    return this.#assignment;
  }

  /** Places every item again, in order of position, each walking clockwise to room. */
  #place(): void {
    const assignment = new Map<string, string>();
    if (this.#tokens.length === 0) {
      this.#assignment = assignment;
      return;
    }
    const capacity = this.capacity;
    const loads = new Map<string, number>();
    const order = [...this.#items].sort(([leftItem, left], [rightItem, right]) =>
      left !== right ? (left < right ? -1 : 1) : leftItem < rightItem ? -1 : 1,
    );
    for (const [item, position] of order) {
      let index = this.#successor(position);
      // One lap at most: the capacities add up to at least m, so some server has room.
      for (let step = 0; step < this.#tokens.length; step++) {
        const node = this.#tokens[index]!.node;
        if ((loads.get(node) ?? 0) < capacity) {
          loads.set(node, (loads.get(node) ?? 0) + 1);
          assignment.set(item, node);
          break;
        }
        index = (index + 1) % this.#tokens.length;
      }
      if (!assignment.has(item))
        throw new Error(`No server had room for "${item}" with capacity ${capacity}`);
    }
    this.#assignment = assignment;
  }

  /** The index of the first token at or after `position`, wrapping to 0 past the largest. */
  #successor(position: bigint): number {
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
