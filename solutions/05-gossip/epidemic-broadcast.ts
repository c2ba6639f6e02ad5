import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

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
  readonly #values = new Set<number>();

  constructor(context: NodeContext<BroadcastMessage>) {
    this.#context = context;
  }

  onStart(): void {
    for (const value of this.#context.storage.get<number[]>("values") ?? [])
      this.#values.add(value);
    this.#scheduleSync();
  }

  /** A client's request: make `value` known to every node. */
  broadcast(value: number): void {
    if (!Number.isSafeInteger(value))
      throw new RangeError(`Expected a value that is a whole number, got ${value}`);
    this.#keep([value]);
    // Direct mail: one hop to everybody is the fastest a value can travel, and costs one
    // message per peer. Anything lost on the way is left to anti-entropy.
    for (const peer of this.#context.peers)
      this.#context.send(peer, { type: "values", values: [value] });
  }

  /** A client's request: every value this node has seen, each once, in ascending order. */
  read(): number[] {
    return [...this.#values].sort((a, b) => a - b);
  }

  onMessage(from: NodeId, message: BroadcastMessage): void {
    if (message.type === "values") {
      this.#keep(message.values);
      return;
    }
    this.#keep(message.values);
    const theirs = new Set(message.values);
    const missing = [...this.#values].filter((value) => !theirs.has(value));
    if (missing.length > 0) this.#context.send(from, { type: "values", values: missing });
  }

  onTimer(name: string): void {
    if (name !== "sync") return;
    const peers = this.#context.peers;
    if (peers.length > 0) {
      // A random peer each round: any fixed choice leaves some node unrepaired when that peer
      // is down or cut off, while random choices reach everyone in O(log N) rounds.
      const peer = peers[this.#context.randomInt(0, peers.length - 1)]!;
      this.#context.send(peer, { type: "sync", values: this.read() });
    }
    this.#scheduleSync();
  }

  /** Adds the values not seen before, and writes the set to storage if anything was new. */
  #keep(values: readonly number[]): void {
    const before = this.#values.size;
    for (const value of values) this.#values.add(value);
    if (this.#values.size !== before) this.#context.storage.set("values", [...this.#values]);
  }

  #scheduleSync(): void {
    this.#context.setTimer("sync", this.#context.randomInt(syncIntervalMs.min, syncIntervalMs.max));
  }
}
