import type {
  NodeContext,
  NodeGroup,
  NodeId,
  SimulatedNode,
  Simulation,
} from "../../harness/index.js";
import type { MemberUpdate, SwimMessage, SwimNode } from "./swim.js";

// Test support for exercise 5.4: what the SWIM tests check and the stand-in they drive by hand.
// You do not need to change anything here.

/**
 * Checks accuracy after every event: no member that is up (running or paused, but not
 * crashed) is ever declared dead by anyone. Returns a function that lists the suspicions seen,
 * so a test can tell that the detector did suspect someone and recovered.
 */
export function watchAccuracy(
  simulation: Simulation<SwimMessage>,
  nodes: NodeGroup<SwimNode>,
): { suspicions: () => string[] } {
  const suspicions = new Set<string>();
  simulation.addInvariant("no live member is declared dead", () => {
    for (const viewer of nodes.liveIds()) {
      const view = nodes.node(viewer)!;
      for (const member of nodes.ids) {
        if (member === viewer) continue;
        const known = view.member(member);
        if (known?.state === "suspect") suspicions.add(`${viewer} suspected ${member}`);
        if (known?.state === "dead" && simulation.isUp(member))
          return `${member} was declared dead by ${viewer} at t=${simulation.nowMs} ms while alive${simulation.isPaused(member) ? " (paused)" : ""}`;
      }
    }
  });
  return { suspicions: () => [...suspicions] };
}

/** The live members that do not yet see `member` as dead. */
export function notYetDeadFor(nodes: NodeGroup<SwimNode>, member: NodeId): NodeId[] {
  return nodes
    .liveIds()
    .filter((viewer) => viewer !== member && nodes.node(viewer)!.member(member)?.state !== "dead");
}

/** The live members that do not see `member` as alive at `incarnation` or above. */
export function notYetAliveFor(
  nodes: NodeGroup<SwimNode>,
  member: NodeId,
  incarnation: number,
): NodeId[] {
  return nodes.liveIds().filter((viewer) => {
    if (viewer === member) return false;
    const known = nodes.node(viewer)!.member(member);
    return known?.state !== "alive" || known.incarnation < incarnation;
  });
}

/**
 * A stand-in member the tests drive by hand: it sends exactly the messages a test tells it to,
 * keeps every message it receives, and answers nothing.
 */
export class SwimProbe implements SimulatedNode<SwimMessage> {
  readonly received: Array<{ from: NodeId; message: SwimMessage }> = [];
  readonly #context: NodeContext<SwimMessage>;

  constructor(context: NodeContext<SwimMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: SwimMessage): void {
    this.#context.send(to, message);
  }

  /** Every update piggybacked on what the probe received from `from`, oldest first. */
  updatesFrom(from: NodeId): MemberUpdate[] {
    return this.received
      .filter((received) => received.from === from)
      .flatMap((received) => received.message.updates);
  }

  onMessage(from: NodeId, message: SwimMessage): void {
    this.received.push({ from, message });
  }
}
