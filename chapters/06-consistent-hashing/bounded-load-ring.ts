import { todo } from "../../harness/index.js";
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
 * each walking from its own position.
 */

export interface BoundedLoadOptions {
  /** V: tokens per server, a whole number >= 1; token i of server s is at hash64(`${s}#${i}`). */
  tokensPerNode: number;
  /** ε > 0: how far above the average a server may go. */
  epsilon: number;
}

export class BoundedLoadRing {
  constructor(options: BoundedLoadOptions) {
    todo(
      "6.4",
      `keep tokensPerNode (${options.tokensPerNode}) and epsilon (${options.epsilon}), refusing bad values`,
    );
  }

  /** Adds a server (adding it again changes nothing), then places every item again. */
  addNode(node: string): void {
    todo("6.4", `put V tokens for "${node}" on the ring, token i at hash64("${node}#" + i)`);
  }

  /** Removes a server; its items, and any others whose walk changes, are placed again. */
  removeNode(node: string): void {
    todo("6.4", `take "${node}" and its tokens off the ring`);
  }

  /** Adds an item (adding it again changes nothing). */
  addItem(item: string): void {
    todo("6.4", `add the item "${item}", at position hash64(item) = ${hash64(item)}`);
  }

  /** Removes an item; others may move back towards their own position. */
  removeItem(item: string): void {
    todo("6.4", `remove the item "${item}"`);
  }

  /** ⌈(1 + ε)·m/n⌉, the most items one server may hold; 0 with no servers. */
  get capacity(): number {
    return todo("6.4", "return the capacity, ⌈(1 + ε)·m/n⌉");
  }

  /** The server that holds `item`. */
  nodeOf(item: string): string {
    return todo("6.4", `return the server that holds "${item}"`);
  }

  /** Every item and the server that holds it. */
  get assignment(): Map<string, string> {
    return todo(
      "6.4",
      "place the items in order of position, each walking clockwise to a server with room, and return where each went",
    );
  }

  /** How many items each server holds (servers with none included, at 0). */
  get loads(): Map<string, number> {
    return todo("6.4", "return how many items each server holds");
  }
}
