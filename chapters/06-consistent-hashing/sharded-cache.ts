import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
import type { CacheEntry, CacheMessage } from "./sharded-cache-protocol.js";

/**
 * Exercise 6.5 — a sharded cache that rebalances online.
 *
 * A cache node owns the keys that the ring of its epoch (`ringOf(config.members)`, your 6.2
 * ring) gives it. When the directory starts a new epoch, every member of the previous epoch
 * streams the keys that now belong elsewhere to their new owners, and a new owner serves a
 * key only once every transfer into the epoch has arrived. Requests carry the client's epoch;
 * a node serves only requests of its own epoch, so no two nodes accept writes for a key in the
 * same epoch. Everything a node promises (its epoch, its entries, who has sent or acknowledged
 * a transfer) is in `context.storage` before the message that promises it is sent.
 */
export class CacheNode implements SimulatedNode<CacheMessage> {
  readonly #context: NodeContext<CacheMessage>;

  constructor(context: NodeContext<CacheMessage>) {
    this.#context = context;
  }

  /** The epoch this node is in (0 before its first configuration). */
  get epoch(): number {
    return todo("6.5", "return the epoch of the configuration this node is in (0 before any)");
  }

  /** Every entry this node holds, for the tests' checks. */
  get entries(): ReadonlyMap<string, CacheEntry> {
    return todo("6.5", "return every key this node holds, with its value and version");
  }

  onStart(): void {
    todo(
      "6.5",
      `load ${this.#context.id}'s configuration, entries and transfer progress from storage; resend unacknowledged transfers`,
    );
  }

  onMessage(from: NodeId, message: CacheMessage): void {
    todo(
      "6.5",
      `handle ${message.type} from ${from}: adopt newer configs, serve or refuse put/get, store and acknowledge transfers`,
    );
  }

  onTimer(name: string): void {
    todo("6.5", `timer "${name}": resend the transfers not yet acknowledged`);
  }
}
