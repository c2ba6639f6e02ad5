import type { NodeContext, NodeId } from "./types.js";

/**
 * The node's own context, except that `onSend` hears of every message the node sends, before it
 * goes on the wire: for tests and measurements that check where messages go, or count them. A
 * broadcast is reported once per peer, as the network carries it. Everything else is the
 * context itself, so the node cannot tell the difference.
 */
export function observeSends<Message>(
  context: NodeContext<Message>,
  onSend: (to: NodeId, message: Message) => void,
): NodeContext<Message> {
  return {
    id: context.id,
    peers: context.peers,
    send(to, message) {
      onSend(to, message);
      context.send(to, message);
    },
    broadcast(message) {
      for (const peer of context.peers) onSend(peer, message);
      context.broadcast(message);
    },
    setTimer: (name, delayMs) => context.setTimer(name, delayMs),
    cancelTimer: (name) => context.cancelTimer(name),
    hasTimer: (name) => context.hasTimer(name),
    now: () => context.now(),
    monotonicNow: () => context.monotonicNow(),
    random: () => context.random(),
    randomInt: (min, max) => context.randomInt(min, max),
    storage: context.storage,
    note: (text) => context.note(text),
  };
}
