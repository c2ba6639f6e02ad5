import type { NodeId } from "./types.js";

/** How many messages went one way or the other. */
export interface MessageCount {
  /** Messages the node handed to the network: a broadcast counts once per peer, lost or not. */
  sent: number;
  /** Messages handed to the node's `onMessage`, duplicates included. */
  delivered: number;
}

/** One node's message counts, in all and per message `type`. */
export interface NodeMessageCounts extends MessageCount {
  /** Per value of the message's `type` field, for messages that have a string `type`. */
  byType: Record<string, MessageCount>;
}

/**
 * Counts one node's messages as they are sent and delivered, so a test can hold a protocol to a
 * budget ("at most 2n messages per write") without wrapping every node's context.
 */
export class MessageCounter {
  #sent = 0;
  #delivered = 0;
  readonly #byType = new Map<string, MessageCount>();

  countSent(type: string | undefined): void {
    this.#sent++;
    if (type !== undefined) this.#forType(type).sent++;
  }

  countDelivered(type: string | undefined): void {
    this.#delivered++;
    if (type !== undefined) this.#forType(type).delivered++;
  }

  /** A copy: what the caller does with it cannot change the counts. */
  snapshot(): NodeMessageCounts {
    const byType: Record<string, MessageCount> = {};
    for (const [type, count] of this.#byType) byType[type] = { ...count };
    return { sent: this.#sent, delivered: this.#delivered, byType };
  }

  #forType(type: string): MessageCount {
    let count = this.#byType.get(type);
    if (count === undefined) {
      count = { sent: 0, delivered: 0 };
      this.#byType.set(type, count);
    }
    return count;
  }
}

/** The message's `type` field when it is a string (most protocols' messages have one). */
export function messageTypeOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  return typeof type === "string" ? type : undefined;
}

/** Every node's counts added up, for a budget over the whole cluster. */
export function totalMessageCounts(
  counts: Readonly<Record<NodeId, NodeMessageCounts>>,
): NodeMessageCounts {
  const total: NodeMessageCounts = { sent: 0, delivered: 0, byType: {} };
  for (const node of Object.values(counts)) {
    total.sent += node.sent;
    total.delivered += node.delivered;
    for (const [type, count] of Object.entries(node.byType)) {
      const sum = (total.byType[type] ??= { sent: 0, delivered: 0 });
      sum.sent += count.sent;
      sum.delivered += count.delivered;
    }
  }
  return total;
}
