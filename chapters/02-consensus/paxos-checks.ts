import type {
  NodeContext,
  NodeGroup,
  NodeId,
  SimulatedNode,
  Simulation,
} from "../../harness/index.js";
import type { Ballot, PaxosMessage, PaxosNode } from "./paxos.js";

// Test support for exercise 2.1: what the Paxos tests check and the stand-ins they use. You do
// not need to change anything here.

/** What the checks read from a node: its acceptor's vote and what its learner learned. */
type ObservedNode = Pick<PaxosNode, "accepted" | "chosen">;

/** What `watchPaxos` returns: the record of a run that the test can question at the end. */
export interface PaxosWatch {
  /** Asks node `id` to propose `value`, as a client would, and remembers that it was proposed. */
  propose(id: NodeId, value: string): void;
  /** Remembers that `value` was proposed by a stand-in outside the cluster, such as the probe. */
  proposedElsewhere(value: string): void;
  /** The values chosen so far: those a majority of acceptors accepted under the same ballot. */
  chosenValues(): string[];
}

/**
 * Checks single-decree Paxos's safety properties after every event of the run, from what the
 * nodes show: each acceptor's `accepted` and each learner's `chosen`.
 *
 * A value is chosen the moment a majority of acceptors have accepted it under the same ballot,
 * whether or not anyone has noticed. Acceptors move on to higher ballots and crash, so the
 * watch remembers every (ballot, value) each acceptor has ever accepted, across its restarts.
 */
export function watchPaxos(
  simulation: Simulation<PaxosMessage>,
  nodes: NodeGroup<PaxosNode>,
): PaxosWatch {
  const majority = Math.floor(nodes.ids.length / 2) + 1;
  const proposed = new Set<string>();
  const votes = new Map<string, { ballot: Ballot; value: string; acceptors: Set<NodeId> }>();
  /** Chosen values, each with how it was chosen, in the order they were chosen. */
  const chosen = new Map<string, string>();
  /** Learned values, each with the first node that learned it. */
  const learned = new Map<string, NodeId>();
  let observedAtStep = -1;

  const observe = (): void => {
    if (observedAtStep === simulation.steps) return;
    observedAtStep = simulation.steps;
    for (const id of nodes.liveIds()) {
      const node: ObservedNode = nodes.node(id)!;
      const accepted = node.accepted;
      if (accepted !== undefined) {
        const key = JSON.stringify([accepted.ballot, accepted.value]);
        let vote = votes.get(key);
        if (vote === undefined) {
          vote = { ballot: accepted.ballot, value: accepted.value, acceptors: new Set() };
          votes.set(key, vote);
        }
        vote.acceptors.add(id);
        if (vote.acceptors.size >= majority && !chosen.has(vote.value)) {
          chosen.set(
            vote.value,
            `"${vote.value}" was accepted under ballot ${vote.ballot} by ${[...vote.acceptors].join(", ")}`,
          );
        }
      }
      const value = node.chosen;
      if (value !== undefined && !learned.has(value)) learned.set(value, id);
    }
  };

  simulation.addInvariant("at most one value is chosen", () => {
    observe();
    const values = new Set([...chosen.keys(), ...learned.keys()]);
    if (values.size <= 1) return;
    const evidence = [...values].map((value) =>
      chosen.has(value)
        ? `  ${chosen.get(value)!}, a majority of the ${nodes.ids.length} acceptors`
        : `  ${learned.get(value)!} learned "${value}"`,
    );
    return `${values.size} different values were chosen:\n${evidence.join("\n")}`;
  });

  simulation.addInvariant("a node learns a value only once a majority accepted it", () => {
    observe();
    for (const [value, learner] of learned) {
      if (chosen.has(value)) continue;
      const supporters = [...votes.values()]
        .filter((vote) => vote.value === value)
        .map((vote) => `ballot ${vote.ballot} by ${[...vote.acceptors].join(", ") || "nobody"}`);
      return (
        `${learner} learned "${value}", but no majority (${majority} of ${nodes.ids.length}) of ` +
        `acceptors has accepted it under one ballot; it was accepted under ` +
        `${supporters.join("; ") || "no ballot at all"}`
      );
    }
  });

  simulation.addInvariant("a chosen value was proposed by some node", () => {
    observe();
    for (const value of chosen.keys()) {
      if (!proposed.has(value))
        return `"${value}" was chosen, but nobody proposed it; the proposals were ${[...proposed].map((each) => `"${each}"`).join(", ") || "none"}`;
    }
  });

  return {
    propose(id, value) {
      proposed.add(value);
      simulation.act<PaxosNode>(id, `propose "${value}"`, (node) => node.propose(value));
    },
    proposedElsewhere(value) {
      proposed.add(value);
    },
    chosenValues: () => {
      observe();
      return [...chosen.keys()];
    },
  };
}

/**
 * A stand-in node the tests drive by hand: it sends exactly the messages a test tells it to and
 * keeps every message it receives, so a test can play a proposer against real acceptors.
 */
export class ProbeNode implements SimulatedNode<PaxosMessage> {
  /** Everything delivered to the probe, oldest first. */
  readonly received: Array<{ from: NodeId; message: PaxosMessage }> = [];
  readonly #context: NodeContext<PaxosMessage>;

  constructor(context: NodeContext<PaxosMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: PaxosMessage): void {
    this.#context.send(to, message);
  }

  onMessage(from: NodeId, message: PaxosMessage): void {
    this.received.push({ from, message });
  }
}

/** A prepare or accept as a proposer sent it, for checks on the ballots proposers use. */
export interface SentBallot {
  from: NodeId;
  type: "prepare" | "accept";
  ballot: Ballot;
  /** The value of an accept; undefined for a prepare. */
  value: string | undefined;
}

/**
 * Wraps a node's context so that every prepare and accept it sends is also written to `sent`.
 * The node sees the same context otherwise.
 */
export function recordBallots(
  context: NodeContext<PaxosMessage>,
  sent: SentBallot[],
): NodeContext<PaxosMessage> {
  const record = (message: PaxosMessage): void => {
    if (message.type === "prepare")
      sent.push({ from: context.id, type: "prepare", ballot: message.ballot, value: undefined });
    if (message.type === "accept")
      sent.push({ from: context.id, type: "accept", ballot: message.ballot, value: message.value });
  };
  return {
    id: context.id,
    peers: context.peers,
    send(to, message) {
      record(message);
      context.send(to, message);
    },
    broadcast(message) {
      record(message);
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
