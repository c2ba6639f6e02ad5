import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 5.1 — epidemic broadcast with an efficiency budget, after Fly.io's Gossip Glomers
 * (challenge 3) and the two mechanisms of Demers et al., "Epidemic Algorithms for Replicated
 * Database Maintenance" (1987): direct mail, which is fast but unreliable, and anti-entropy,
 * which is slow but repairs whatever direct mail lost.
 *
 * Clients give values to any node (`broadcast`) and ask any node for every value it has seen
 * (`read`). Every value must reach every live node, through loss, partitions, pauses and
 * crashes, and within a message budget.
 */

/** What the nodes say to each other. */
export type BroadcastMessage =
  /** "Here are values you may not have": direct mail, and the answer to a sync. */
  | { type: "values"; values: number[] }
  /** Anti-entropy: "here is every value I have; send me the ones I lack". */
  | { type: "sync"; values: number[] };

/** How often a node runs anti-entropy with one random peer, in ms: drawn in this range each time. */
export const syncIntervalMs = { min: 400, max: 600 };

/**
 * A node of the broadcast.
 *
 * Rules:
 * 1. A client's `broadcast(value)`: keep the value, durably, and send it at once to every peer
 *    in one `values` message each (direct mail).
 * 2. On `values`: keep the values you did not have. Do not pass them on: their origin has
 *    already mailed every node, and anti-entropy repairs what the network lost.
 * 3. Every `syncIntervalMs` (a random delay in that range each time), send a `sync` with every
 *    value you have to one peer chosen at random — never yourself, never always the same one.
 * 4. On `sync`: keep the values you did not have, and answer with a `values` message holding the
 *    values the sender lacks, if there are any.
 * 5. `read()` returns every value this node has seen, each once, in ascending order.
 * 6. Values survive a crash: keep them in `context.storage` and read them back in `onStart`.
 */
export class BroadcastNode implements SimulatedNode<BroadcastMessage> {
  readonly #context: NodeContext<BroadcastMessage>;

  constructor(context: NodeContext<BroadcastMessage>) {
    this.#context = context;
  }

  onStart(): void {
    todo(
      "5.1",
      `rules 3 and 6: ${this.#context.id} reads its values back from storage and starts its sync timer`,
    );
  }

  /** A client's request: make `value` known to every node. */
  broadcast(value: number): void {
    todo("5.1", `rule 1: keep ${value} durably and mail it to every peer`);
  }

  /** A client's request: every value this node has seen, each once, in ascending order. */
  read(): number[] {
    return todo("5.1", "rule 5: return every value seen, each once, in ascending order");
  }

  onMessage(from: NodeId, message: BroadcastMessage): void {
    todo("5.1", `rules 2 and 4: handle a ${message.type} message from ${from}`);
  }

  onTimer(name: string): void {
    todo(
      "5.1",
      `rule 3: the ${name} timer fired: sync with one random peer, then set the timer again`,
    );
  }
}
