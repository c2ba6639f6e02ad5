import {
  Simulation,
  type NodeContext,
  type NodeId,
  type SimulatedNode,
} from "../../harness/index.js";
import type { Command } from "./raft-cluster.js";
import {
  RaftNode,
  type AppendEntries,
  type AppendEntriesReply,
  type LogEntry,
  type RaftMessage,
  type RequestVote,
  type RequestVoteReply,
} from "./raft.js";

/**
 * Test support for exercises 2.2 and 2.3 (no solution twin: it is not exercise code). A
 * RaftProbe runs ONE real RaftNode, n1, whose peers are stand-ins the test drives by hand: they
 * send n1 exactly the messages a test crafts (old, late, duplicated, from any term) and keep
 * every message n1 sends them. So each rule of figure 2 can be checked on its own, the way
 * 2.1's acceptor probes check Paxos, without a second real node blurring which rule broke.
 *
 * Every link takes exactly 1 ms, and n1's election timeout is 1–2 s unless a test says
 * otherwise, so nothing happens between the steps of a test unless the test waits for it.
 */

/** A message n1 sent, with whom it went to and when. */
export interface SentMessage {
  to: NodeId;
  atMs: number;
  message: RaftMessage<Command>;
}

/** A stand-in peer: sends what it is told to, and records what n1 sends it. */
class ProbePeer implements SimulatedNode<RaftMessage<Command>> {
  readonly #context: NodeContext<RaftMessage<Command>>;
  constructor(context: NodeContext<RaftMessage<Command>>) {
    this.#context = context;
  }
  send(message: RaftMessage<Command>): void {
    this.#context.send("n1", message);
  }
  onMessage(): void {
    // What n1 sends is recorded by the probe's context wrapper, in order, with its time.
  }
}

export interface RaftProbeOptions {
  seed: number;
  name: string;
  /** The cluster: n1 plus size - 1 stand-ins, n2, n3… @default 3 */
  size?: number;
  /** @default { min: 1_000, max: 2_000 } */
  electionTimeoutMs?: { min: number; max: number };
  /** @default 50 */
  heartbeatIntervalMs?: number;
}

export type RaftProbe = ReturnType<typeof probeRaft>;

/** A cluster of one real RaftNode (n1) and stand-in peers the test plays by hand. */
export function probeRaft(options: RaftProbeOptions) {
  const size = options.size ?? 3;
  const ids = Array.from({ length: size }, (_, index) => `n${index + 1}`);
  const peers = ids.slice(1);
  const simulation = new Simulation<RaftMessage<Command>>({
    seed: options.seed,
    name: options.name,
    network: { latencyMs: { min: 1, max: 1 }, lossRate: 0, duplicateRate: 0 },
  });
  const sent: SentMessage[] = [];
  const applied: Array<{ index: number; term: number; command: Command }> = [];
  const electionTimeoutMs = options.electionTimeoutMs ?? { min: 1_000, max: 2_000 };
  const nodes = simulation.addNodes(ids, (context) => {
    if (context.id !== "n1") return new ProbePeer(context);
    const recording: NodeContext<RaftMessage<Command>> = {
      ...context,
      send(to, message) {
        sent.push({ to, atMs: simulation.nowMs, message });
        context.send(to, message);
      },
      broadcast(message) {
        for (const peer of context.peers) sent.push({ to: peer, atMs: simulation.nowMs, message });
        context.broadcast(message);
      },
    };
    return new RaftNode<Command>(recording, {
      electionTimeoutMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 50,
      apply: (entry) => applied.push(entry),
    });
  });

  const probe = {
    simulation,
    ids,
    peers,
    /** Everything n1 has sent, oldest first. */
    sent,
    /** Every entry n1 applied, in order, across its restarts. */
    applied,
    electionTimeoutMs,

    /** The real node; throws if it is crashed. */
    node(): RaftNode<Command> {
      const node = nodes.node("n1");
      if (node === undefined) throw new Error("The test expected n1 to be up, but it is crashed");
      return node as RaftNode<Command>;
    },

    /** Stand-in `from` sends `message` to n1; then 3 ms pass, enough for it and n1's answer to arrive. */
    send(from: NodeId, message: RaftMessage<Command>): void {
      simulation.act<ProbePeer>(
        from,
        `${from} sends ${message.type} (term ${message.term})`,
        (peer) => peer.send(message),
      );
      simulation.runFor(3);
    },

    /** What n1 sent to `to` (every stand-in when omitted) of `type`, oldest first, after index `since` of `sent`. */
    sentOf<Type extends RaftMessage<Command>["type"]>(
      type: Type,
      to?: NodeId,
      since = 0,
    ): Array<Extract<RaftMessage<Command>, { type: Type }>> {
      return sent
        .slice(since)
        .filter((each) => each.message.type === type && (to === undefined || each.to === to))
        .map((each) => each.message as Extract<RaftMessage<Command>, { type: Type }>);
    },

    /** The last message of `type` n1 sent to `to`, or undefined. */
    lastTo<Type extends RaftMessage<Command>["type"]>(
      type: Type,
      to: NodeId,
      since = 0,
    ): Extract<RaftMessage<Command>, { type: Type }> | undefined {
      return probe.sentOf(type, to, since).at(-1);
    },

    /** Runs until n1's election timer has run out and it stands; returns its new term, or fails. */
    waitForCandidate(): number {
      const termBefore = probe.node().currentTerm;
      const stood = simulation.runUntil(
        () => probe.node().role === "candidate" && probe.node().currentTerm > termBefore,
        { withinMs: electionTimeoutMs.max + 10 },
      );
      if (!stood)
        throw new Error(
          `The probe expected n1 to stand for election within its ${electionTimeoutMs.max} ms election timeout, ` +
            `but it is a ${probe.node().role} in term ${probe.node().currentTerm}`,
        );
      return probe.node().currentTerm;
    },

    /** Makes n1 leader: waits for it to stand, then grants it votes from a majority. Returns its term. */
    elect(): number {
      const term = probe.waitForCandidate();
      const votesNeeded = Math.floor(size / 2);
      for (const peer of peers.slice(0, votesNeeded))
        probe.send(peer, { type: "RequestVoteReply", term, voteGranted: true });
      if (probe.node().role !== "leader")
        throw new Error(
          `The probe expected n1 to lead term ${term} after votes from ${peers.slice(0, votesNeeded).join(", ")} ` +
            `(with its own, a majority of ${size}), but it is a ${probe.node().role} in term ${probe.node().currentTerm}`,
        );
      return term;
    },

    /** Stand-in `leader` gives n1 `entries` as the leader of `term`, from index 1: n1 follows it with that log. */
    follow(leader: NodeId, term: number, entries: LogEntry<Command>[], leaderCommit = 0): void {
      probe.send(leader, appendEntries(leader, term, 0, 0, entries, leaderCommit));
    },

    crash(): void {
      simulation.crash("n1");
    },
    restart(): void {
      simulation.restart("n1");
    },
  };
  return probe;
}

/** An AppendEntries from `leaderId`, spelled out. */
export function appendEntries(
  leaderId: NodeId,
  term: number,
  prevLogIndex: number,
  prevLogTerm: number,
  entries: LogEntry<Command>[],
  leaderCommit: number,
): AppendEntries<Command> {
  return {
    type: "AppendEntries",
    term,
    leaderId,
    prevLogIndex,
    prevLogTerm,
    entries,
    leaderCommit,
  };
}

/** A RequestVote from `candidateId`, spelled out. */
export function requestVote(
  candidateId: NodeId,
  term: number,
  lastLogIndex = 0,
  lastLogTerm = 0,
): RequestVote {
  return { type: "RequestVote", term, candidateId, lastLogIndex, lastLogTerm };
}

/** A successful AppendEntriesReply, spelled out. */
export function appendSucceeded(term: number, matchIndex: number): AppendEntriesReply {
  return {
    type: "AppendEntriesReply",
    term,
    success: true,
    matchIndex,
    conflictTerm: 0,
    conflictIndex: 0,
  };
}

/** A vote, spelled out. */
export function vote(term: number, voteGranted = true): RequestVoteReply {
  return { type: "RequestVoteReply", term, voteGranted };
}

/** Log entries of `term` carrying `commands`, in order. */
export function entriesOf(term: number, ...commands: Command[]): LogEntry<Command>[] {
  return commands.map((command) => ({ term, command }));
}

/** The terms of a log, as text for failure messages: "1 1 2". */
export function termsOf(log: readonly LogEntry<Command>[]): string {
  return log.length === 0 ? "(empty)" : log.map((entry) => entry.term).join(" ");
}
