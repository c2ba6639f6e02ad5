import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import {
  ORSet,
  PNCounter,
  SiblingRegister,
  type ORSetState,
  type PNCounterState,
  type Sibling,
} from "./crdts.js";

// Provided, complete: a leader of exercise 4.3's multi-leader replication. Every node accepts
// updates, applies them to its own state at once (that is the acknowledgement), and every
// `gossipMs` sends its whole state to every peer, which merges it. It uses your CRDTs; you do
// not need to change anything here.

export type MultiLeaderMessage = {
  type: "state";
  counter: PNCounterState;
  set: ORSetState;
  register: readonly Sibling[];
};

export class MultiLeaderNode implements SimulatedNode<MultiLeaderMessage> {
  readonly #context: NodeContext<MultiLeaderMessage>;
  readonly #gossipMs: number;
  counter = new PNCounter();
  set = new ORSet();
  register = new SiblingRegister();

  constructor(context: NodeContext<MultiLeaderMessage>, options: { gossipMs?: number } = {}) {
    this.#context = context;
    this.#gossipMs = options.gossipMs ?? 50;
  }

  onStart(): void {
    const saved = this.#context.storage.get<MultiLeaderMessage>("state");
    if (saved !== undefined) this.#merge(saved);
    this.#context.setTimer("gossip", this.#context.randomInt(1, this.#gossipMs));
  }

  onTimer(): void {
    this.#context.broadcast(this.#state());
    this.#context.setTimer("gossip", this.#gossipMs);
  }

  onMessage(_from: NodeId, message: MultiLeaderMessage): void {
    this.#merge(message);
    this.#save();
  }

  /** An update through this leader; it is acknowledged once applied here. */
  update(change: (node: MultiLeaderNode, id: NodeId) => void): void {
    change(this, this.#context.id);
    this.#save();
  }

  #state(): MultiLeaderMessage {
    return {
      type: "state",
      counter: this.counter.state,
      set: this.set.state,
      register: this.register.siblings,
    };
  }

  #merge(state: MultiLeaderMessage): void {
    this.counter.merge(state.counter);
    this.set.merge(state.set);
    this.register.merge(state.register);
  }

  #save(): void {
    this.#context.storage.set("state", this.#state());
  }
}
