import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
// Your vector clock from exercise 1.2: the clock each node keeps and stamps its messages with.
import { VectorClock } from "./vector-clock.js";

/** What one node broadcasts to the others: the payload and the sender's vector clock. */
export interface CausalMessage {
  /** The sender's clock when it broadcast: entry s counts the broadcasts of s it had delivered. */
  clock: Record<NodeId, number>;
  payload: string;
}

/** One message as the application sees it, in the order the node delivered it. */
export interface Delivery {
  from: NodeId;
  payload: string;
}

/**
 * Exercise 1.3 — causal broadcast: every node delivers every broadcast, and never delivers a
 * message before one that causally precedes it. If a node broadcasts m2 after delivering m1, no
 * node delivers m2 before m1, whatever order the network brings them in.
 *
 * Each node keeps a vector clock whose entry s counts the broadcasts from s it has delivered,
 * and stamps its own broadcasts with it. A message from s stamped V can be delivered when
 * V[s] = local[s] + 1 (it is the next message from s) and V[k] <= local[k] for every other k
 * (everything its sender had delivered has been delivered here too). Until then it waits in a
 * hold-back queue.
 *
 * The network may delay, reorder and duplicate messages, but it does not lose them: a lost
 * message would hold back everything after it for ever (retransmission is another exercise).
 * The sender delivers its own message at once.
 */
export class CausalBroadcastNode implements SimulatedNode<CausalMessage> {
  readonly #context: NodeContext<CausalMessage>;

  constructor(context: NodeContext<CausalMessage>) {
    this.#context = context;
  }

  /** Every message this node has delivered, its own included, in delivery order. */
  get delivered(): readonly Delivery[] {
    return todo("1.3", "return the messages this node has delivered, in delivery order");
  }

  /** How many messages have arrived but wait in the hold-back queue. */
  get heldBackCount(): number {
    return todo("1.3", "return how many messages wait in the hold-back queue");
  }

  /** Sends `payload` to every node, and delivers it here at once. */
  broadcast(payload: string): void {
    todo(
      "1.3",
      `count the broadcast in ${this.#context.id}'s own clock entry, send "${payload}" with the clock to every peer, and deliver it here`,
    );
  }

  onMessage(from: NodeId, message: CausalMessage): void {
    todo(
      "1.3",
      `drop a copy of a message already seen, hold the message from ${from} (clock ${JSON.stringify(message.clock)}) back until it is deliverable, then deliver everything that is`,
    );
  }
}
