import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
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

/** A message that has arrived but waits for the messages that causally precede it. */
interface HeldMessage extends Delivery {
  clock: VectorClock;
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
  /** Entry s counts the messages from s this node has delivered, its own included. */
  #clock = new VectorClock();
  #delivered: Delivery[] = [];
  #holdBack: HeldMessage[] = [];

  constructor(context: NodeContext<CausalMessage>) {
    this.#context = context;
  }

  /** Every message this node has delivered, its own included, in delivery order. */
  get delivered(): readonly Delivery[] {
    return this.#delivered;
  }

  /** How many messages have arrived but wait in the hold-back queue. */
  get heldBackCount(): number {
    return this.#holdBack.length;
  }

  /** Sends `payload` to every node, and delivers it here at once. */
  broadcast(payload: string): void {
    // The broadcast is this node's next message: receivers use the entry to put its messages in
    // order and to tell a new message from a copy of an old one.
    this.#clock = this.#clock.increment(this.#context.id);
    this.#context.broadcast({ clock: this.#clock.toJSON(), payload });
    this.#delivered.push({ from: this.#context.id, payload });
  }

  onMessage(from: NodeId, message: CausalMessage): void {
    const held: HeldMessage = {
      from,
      payload: message.payload,
      clock: new VectorClock(message.clock),
    };
    if (this.#isDuplicate(held)) {
      this.#context.note(`drop a copy of ${from}'s message #${held.clock.get(from)}`);
      return;
    }
    this.#holdBack.push(held);
    this.#deliverWhatIsReady();
  }

  /** Whether `message` was delivered already, or already waits: the network sent it twice. */
  #isDuplicate(message: HeldMessage): boolean {
    const sequence = message.clock.get(message.from);
    if (sequence <= this.#clock.get(message.from)) return true;
    return this.#holdBack.some(
      (waiting) => waiting.from === message.from && waiting.clock.get(waiting.from) === sequence,
    );
  }

  /** Whether everything that causally precedes `message` has been delivered here. */
  #isDeliverable(message: HeldMessage): boolean {
    const sender = message.from;
    if (message.clock.get(sender) !== this.#clock.get(sender) + 1) return false;
    return [this.#context.id, ...this.#context.peers].every(
      (node) => node === sender || message.clock.get(node) <= this.#clock.get(node),
    );
  }

  #deliverWhatIsReady(): void {
    // Delivering one message can make others deliverable (the next one from the same sender,
    // or one that was waiting for it), so scan again until a whole pass delivers nothing.
    let progress = true;
    while (progress) {
      progress = false;
      for (const [index, message] of this.#holdBack.entries()) {
        if (!this.#isDeliverable(message)) continue;
        this.#holdBack.splice(index, 1);
        this.#deliver(message);
        progress = true;
        break;
      }
    }
  }

  #deliver(message: HeldMessage): void {
    // Given the deliverability check, merging only moves the sender's entry up by one; merging
    // (rather than incrementing) says what it means: this node now knows what the sender knew.
    this.#clock = this.#clock.merge(message.clock);
    this.#delivered.push({ from: message.from, payload: message.payload });
  }
}
