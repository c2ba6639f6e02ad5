import { observeSends } from "../../harness/index.js";
import type {
  NodeContext,
  NodeGroup,
  NodeId,
  SimulatedNode,
  Simulation,
} from "../../harness/index.js";
import type { GossipMessage, GossipNode } from "./cassandra-gossip.js";

// Test support for exercise 5.5: what the gossip tests check and the stand-in they drive by
// hand. You do not need to change anything here.

/**
 * What is still unknown: for each live node, the live endpoints whose current generation or
 * application states it does not have yet. Heartbeat versions keep moving, so they are left out.
 * It stops after `limit` gaps: whether any is left needs only the first.
 */
export function viewGaps(nodes: NodeGroup<GossipNode>, limit = Infinity): string[] {
  const gaps: string[] = [];
  const live = nodes.liveIds();
  const views = new Map(live.map((id) => [id, nodes.node(id)!.view()]));
  for (const viewer of live) {
    const view = views.get(viewer)!;
    for (const endpoint of live) {
      if (gaps.length >= limit) return gaps;
      const truth = views.get(endpoint)![endpoint]!;
      const seen = view[endpoint];
      if (seen === undefined) gaps.push(`${viewer} does not know ${endpoint}`);
      else if (seen.heartbeat.generation !== truth.heartbeat.generation)
        gaps.push(
          `${viewer} has ${endpoint} at generation ${seen.heartbeat.generation}, not ${truth.heartbeat.generation}`,
        );
      else if (JSON.stringify(seen.application) !== JSON.stringify(truth.application))
        gaps.push(
          `${viewer} has ${endpoint}'s application states ${JSON.stringify(seen.application)}, not ${JSON.stringify(truth.application)}`,
        );
    }
  }
  return gaps;
}

/**
 * A predicate for `runUntil` that asks `check` at most once per `everyMs` of simulated time:
 * comparing every view with every other after every event would make the tests slow, and a
 * gossip round lasts a second anyway.
 */
export function sampled(
  simulation: Simulation<GossipMessage>,
  check: () => boolean,
  everyMs = 50,
): () => boolean {
  let checkedAtMs = -Infinity;
  let result = false;
  return () => {
    if (simulation.nowMs - checkedAtMs >= everyMs) {
      checkedAtMs = simulation.nowMs;
      result = check();
    }
    return result;
  };
}

/** The live nodes, other than `endpoint`, whose own judgement of `endpoint` is not `up`. */
export function disagreeAbout(
  nodes: NodeGroup<GossipNode>,
  endpoint: NodeId,
  up: boolean,
): NodeId[] {
  return nodes
    .liveIds()
    .filter((viewer) => viewer !== endpoint && nodes.node(viewer)!.isUp(endpoint) !== up);
}

/** One message a node sent, as `recordSends` saw it. */
export interface SentGossip {
  from: NodeId;
  to: NodeId;
  message: GossipMessage;
}

/** Wraps a node's context so that every message it sends is also written to `sent`. */
export function recordSends(
  context: NodeContext<GossipMessage>,
  sent: SentGossip[],
): NodeContext<GossipMessage> {
  return observeSends(context, (to, message) => sent.push({ from: context.id, to, message }));
}

/** A stand-in endpoint the tests drive by hand: it sends what it is told and answers nothing. */
export class GossipProbe implements SimulatedNode<GossipMessage> {
  readonly received: Array<{ from: NodeId; message: GossipMessage }> = [];
  readonly #context: NodeContext<GossipMessage>;

  constructor(context: NodeContext<GossipMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: GossipMessage): void {
    this.#context.send(to, message);
  }

  /** The last message of `type` received from `from`. */
  last<Type extends GossipMessage["type"]>(
    from: NodeId,
    type: Type,
  ): Extract<GossipMessage, { type: Type }> | undefined {
    const found = this.received.filter(
      (received) => received.from === from && received.message.type === type,
    );
    return found.at(-1)?.message as Extract<GossipMessage, { type: Type }> | undefined;
  }

  onMessage(from: NodeId, message: GossipMessage): void {
    this.received.push({ from, message });
  }
}
