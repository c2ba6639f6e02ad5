import { hash64 } from "./hash.js";

/**
 * Exercise 6.3, part 2 — rendezvous hashing, or highest random weight (Thaler and Ravishankar
 * 1998). Every node gets a score for the key, a hash of the pair (key, node), and the node with
 * the highest score owns the key. Remove a node and only its keys move, each to the node with
 * its second-highest score; add one and it takes exactly the keys on which it scores highest.
 *
 * The score of `node` for `key` is `hash64(key, hash64(node))`: the key hashed with a seed that
 * is the node's own hash, so the two are hashed together, not side by side.
 */

/** How much `node` wants `key`: a hash of the pair, in [0, 2^64). */
export function rendezvousScore(key: string, node: string): bigint {
  return hash64(key, hash64(node));
}

/** The node with the highest score for `key` (ties, a 1 in 2^64 event, go to the larger name). */
export function rendezvousOwner(key: string, nodes: readonly string[]): string {
  if (nodes.length === 0) throw new Error(`No nodes to choose an owner for "${key}" from`);
  let best = nodes[0]!;
  let bestScore = rendezvousScore(key, best);
  for (const node of nodes.slice(1)) {
    const score = rendezvousScore(key, node);
    if (score > bestScore || (score === bestScore && node > best)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
