import {
  Simulation,
  type ClockOptions,
  type Random,
  type LinkOptions,
  type NodeContext,
  type NodeGroup,
  type NodeId,
} from "../../harness/index.js";
import { RaftNode, type LogEntry, type RaftMessage, type RaftOptions } from "./raft.js";

/**
 * Test support for exercises 2.2 and 2.3 (no solution twin: it is not exercise code). A
 * RaftCluster is a simulation of RaftNodes with the safety properties of the Raft paper's
 * figure 3 checked after every event, plus the helpers the tests share: find the leader,
 * propose, wait for a commit, count messages, and rewire the network link by link.
 */

/** The commands the tests replicate: short strings such as "x3", easy to read in a trace. */
export type Command = string;

export type RaftCluster = ReturnType<typeof createRaftCluster>;

export interface RaftClusterOptions {
  seed: number;
  /** The nodes, n1 to n<size>. @default 3 */
  size?: number;
  /** A name for the run, printed in errors and traces. */
  name?: string;
  network?: Partial<LinkOptions>;
  /** @default no offset or drift, so that nodes started together are really in step */
  clocks?: Partial<ClockOptions>;
  /**
   * Raft options for node `id`, asked again on every restart, so a test can give one node a
   * shorter election timeout, or change it before restarting the node.
   */
  raftOptions?: (id: NodeId) => Omit<RaftOptions<Command>, "apply">;
  /**
   * Which properties to check after every event. "election" reads only role, term, vote and
   * leader, so exercise 2.2's tests run before the log exists; "replication" adds the log
   * properties (log matching, leader completeness, state machine safety).
   */
  checks: "election" | "replication";
}

/** Messages sent, by type, since the cluster started or since `resetCounts()`. */
export interface MessageCounts {
  RequestVote: number;
  RequestVoteReply: number;
  AppendEntries: number;
  AppendEntriesReply: number;
  /** The entries carried by all AppendEntries, to catch a leader that resends its whole log. */
  entriesSent: number;
  /** AppendEntries sent to each node. */
  appendEntriesTo: Map<NodeId, number>;
  /** AppendEntriesReply with success false sent by each node: a measure of backing up. */
  rejectionsFrom: Map<NodeId, number>;
}

/** Builds a Raft cluster on a simulated network, with every safety check installed. */
export function createRaftCluster(options: RaftClusterOptions) {
  const ids = Array.from({ length: options.size ?? 3 }, (_, index) => `n${index + 1}`);
  const simulation = new Simulation<RaftMessage<Command>>({
    seed: options.seed,
    name: options.name ?? "raft",
    network: options.network ?? {},
    clocks: options.clocks ?? {},
  });
  const counts = emptyCounts();
  const problems: string[] = [];
  const stepDownProblems: string[] = [];
  /** What each node has applied in its current life, in order: index i is applied[i - 1]. */
  const appliedBy = new Map<NodeId, Command[]>();
  /** The command applied at each index by any node, ever: there must be only one. */
  const appliedAt = new Map<number, { command: Command; by: NodeId }>();

  const nodes: NodeGroup<CheckedRaftNode> = simulation.addNodes(ids, (context) => {
    const id = context.id;
    appliedBy.set(id, []);
    return new CheckedRaftNode(countingContext(context, counts), stepDownProblems, {
      ...options.raftOptions?.(id),
      apply: ({ index, term, command }) => {
        const applied = appliedBy.get(id)!;
        if (index !== applied.length + 1) {
          problems.push(
            `${id} applied index ${index} (term ${term}) right after index ${applied.length}: entries must be applied once each, in log order`,
          );
        }
        applied.push(command);
        const earlier = appliedAt.get(index);
        if (earlier === undefined) {
          appliedAt.set(index, { command, by: id });
        } else if (earlier.command !== command) {
          problems.push(
            `${id} applied ${JSON.stringify(command)} at index ${index}, but ${earlier.by} applied ${JSON.stringify(earlier.command)} there: every node must apply the same command at each index`,
          );
        }
      },
    });
  });

  simulation.addInvariant(
    "state machine safety: one command per index, applied once, in order",
    () => (problems.length > 0 ? problems[0] : undefined),
  );
  simulation.addInvariant("a node that sees a newer term adopts it and becomes a follower", () =>
    stepDownProblems.length > 0 ? stepDownProblems[0] : undefined,
  );
  const live: LiveNodes = () => nodes.liveEntries();
  addElectionInvariants(simulation, live);
  if (options.checks === "replication") addReplicationInvariants(simulation, live);

  const cluster = {
    simulation,
    nodes,
    ids,
    counts,
    /** Starts the message counts again from zero. */
    resetCounts(): void {
      Object.assign(counts, emptyCounts());
    },

    /** The running instance of node `id`; throws if it is crashed. */
    node(id: NodeId): RaftNode<Command> {
      const node = nodes.node(id);
      if (node === undefined)
        throw new Error(`The test expected ${id} to be up, but it is crashed`);
      return node;
    },

    /** The live nodes that believe they are leader, with the highest term first. */
    leaders(): NodeId[] {
      return nodes
        .liveIds()
        .filter((id) => nodes.node(id)!.role === "leader")
        .sort((a, b) => nodes.node(b)!.currentTerm - nodes.node(a)!.currentTerm);
    },

    /**
     * The leader that the live nodes in `among` agree on: exactly one of them leads, and every
     * other one is in its term and knows it as the leader. Undefined while that is not so.
     */
    agreedLeader(among: readonly NodeId[] = ids): NodeId | undefined {
      const live = among.filter((id) => simulation.isUp(id));
      const leaders = live.filter((id) => nodes.node(id)!.role === "leader");
      if (leaders.length !== 1) return undefined;
      const leader = nodes.node(leaders[0]!)!;
      const agreed = live.every((id) => {
        const node = nodes.node(id)!;
        return node.currentTerm === leader.currentTerm && node.leaderId === leaders[0];
      });
      return agreed ? leaders[0] : undefined;
    },

    /** Runs until the live nodes in `among` agree on one leader; returns it, or undefined if none within `withinMs`. */
    waitForLeader(withinMs: number, among: readonly NodeId[] = ids): NodeId | undefined {
      simulation.runUntil(() => cluster.agreedLeader(among) !== undefined, { withinMs });
      return cluster.agreedLeader(among);
    },

    /** Calls `propose` on node `id` as an event of the run, as a client request would. */
    propose(id: NodeId, command: Command): { index: number; term: number } | undefined {
      let placed: { index: number; term: number } | undefined;
      simulation.act<RaftNode<Command>>(id, `propose ${command}`, (node) => {
        placed = node.propose(command);
      });
      return placed;
    },

    /** The commands node `id` has applied since it last started. */
    applied(id: NodeId): readonly Command[] {
      return appliedBy.get(id)!;
    },

    /** Every command applied by any node, by index: the committed prefix, as far as anyone knows. */
    appliedAnywhere(): Command[] {
      const commands: Command[] = [];
      for (let index = 1; appliedAt.has(index); index++)
        commands.push(appliedAt.get(index)!.command);
      return commands;
    },

    /** How many live nodes have applied `command`. */
    appliedCount(command: Command): number {
      return nodes.liveIds().filter((id) => appliedBy.get(id)!.includes(command)).length;
    },

    /** Runs until at least `count` live nodes have applied `command`; returns whether they did within `withinMs`. */
    waitForApplied(command: Command, count: number, withinMs: number): boolean {
      return simulation.runUntil(() => cluster.appliedCount(command) >= count, { withinMs });
    },

    /** Gives every link into and out of `id` the settings `link`: slow or lossy, a node "clogged". */
    clog(id: NodeId, link: Partial<LinkOptions>): void {
      for (const other of ids) {
        if (other === id) continue;
        simulation.setLink(id, other, link);
        simulation.setLink(other, id, link);
      }
    },

    /** Returns every link into and out of `id` to the network's defaults. */
    unclog(id: NodeId): void {
      for (const other of ids) {
        if (other === id) continue;
        simulation.clearLink(id, other);
        simulation.clearLink(other, id);
      }
    },

    /**
     * FoundationDB's swizzle-clogging: clogs the nodes one by one in a random order, then unclogs
     * them in another random order, running `pauseMs` (drawn each time) between steps and calling
     * `between` after each, say to propose. Messages on a clogged link arrive late, so nodes meet
     * replies and requests from terms long gone.
     */
    swizzle(
      random: Random,
      link: Partial<LinkOptions>,
      pauseMs: { min: number; max: number },
      between: () => void = () => {},
    ): void {
      for (const id of random.shuffle(ids)) {
        cluster.clog(id, link);
        simulation.runFor(random.int(pauseMs.min, pauseMs.max));
        between();
      }
      for (const id of random.shuffle(ids)) {
        cluster.unclog(id);
        simulation.runFor(random.int(pauseMs.min, pauseMs.max));
        between();
      }
    },

    /**
     * Leaves only the listed links up, both ways, and cuts every other one: a network shape
     * that partitions alone cannot make, such as a star in which only the centre can win votes.
     */
    connectOnly(links: ReadonlyArray<readonly [NodeId, NodeId]>): void {
      simulation.heal();
      const allowed = new Set(links.flatMap(([a, b]) => [`${a}>${b}`, `${b}>${a}`]));
      for (const from of ids) {
        for (const to of ids) {
          if (from !== to && !allowed.has(`${from}>${to}`)) simulation.cut(from, to);
        }
      }
    },
  };
  return cluster;
}

/** Links from `centre` to each of `others`, and no others: only the centre can reach a majority. */
export function star(centre: NodeId, others: readonly NodeId[]): Array<[NodeId, NodeId]> {
  return others.map((other) => [centre, other]);
}

// ---------------------------------------------------------------- checks after every event

/** Counts events across all nodes, so a check can tell which nodes changed since it last looked. */
let eventSerial = 0;

/**
 * A RaftNode that checks, after each message it handles, figure 2's rule for all servers: a
 * message from a newer term ends this node's term, whatever role it had in it. It also stamps
 * every event it handles, so the log checks look only at nodes that may have changed.
 */
class CheckedRaftNode extends RaftNode<Command> {
  readonly #problems: string[];
  readonly #id: NodeId;
  /** The serial of the last event this node handled: its state can change only in one. */
  lastEvent = 0;

  constructor(
    context: NodeContext<RaftMessage<Command>>,
    problems: string[],
    options: RaftOptions<Command>,
  ) {
    super(context, options);
    this.#id = context.id;
    this.#problems = problems;
  }

  override onStart(): void {
    this.lastEvent = ++eventSerial;
    super.onStart();
  }

  override onTimer(name: string): void {
    this.lastEvent = ++eventSerial;
    super.onTimer(name);
  }

  override propose(command: Command): { index: number; term: number } | undefined {
    this.lastEvent = ++eventSerial;
    return super.propose(command);
  }

  override onMessage(from: NodeId, message: RaftMessage<Command>): void {
    this.lastEvent = ++eventSerial;
    const termBefore = this.currentTerm;
    const roleBefore = this.role;
    super.onMessage(from, message);
    if (
      message.term > termBefore &&
      (this.role !== "follower" || this.currentTerm !== message.term)
    ) {
      this.#problems.push(
        `${this.#id}, a ${roleBefore} in term ${termBefore}, got a ${message.type} from ${from} in term ${message.term} ` +
          `and is now a ${this.role} in term ${this.currentTerm}: it should have moved to term ${message.term} as a follower`,
      );
    }
  }
}

type LiveNodes = () => ReadonlyArray<readonly [NodeId, CheckedRaftNode]>;

/** The live nodes that handled an event since `lastChecked` was last updated, which it then is. */
function changedNodes(
  live: LiveNodes,
  lastChecked: Map<NodeId, number>,
): Array<readonly [NodeId, CheckedRaftNode]> {
  const changed: Array<readonly [NodeId, CheckedRaftNode]> = [];
  for (const entry of live()) {
    const [id, node] = entry;
    if (lastChecked.get(id) === node.lastEvent) continue;
    lastChecked.set(id, node.lastEvent);
    changed.push(entry);
  }
  return changed;
}

/** Figure 3's election safety, plus the rules that make it hold across restarts. */
function addElectionInvariants(
  simulation: Simulation<RaftMessage<Command>>,
  live: LiveNodes,
): void {
  // Remembered across crashes: a restarted node is the same server, with the same disk.
  const leaderOfTerm = new Map<number, NodeId>();
  const highestTerm = new Map<NodeId, number>();
  const voteInTerm = new Map<string, NodeId>();
  /** Each node's vote as last checked: an unchanged vote in an unchanged term needs no lookup. */
  const lastVote = new Map<NodeId, { term: number; votedFor: NodeId }>();

  simulation.addInvariant("at most one leader per term", () => {
    for (const [id, node] of live()) {
      if (node.role !== "leader") continue;
      const other = leaderOfTerm.get(node.currentTerm);
      if (other === undefined) leaderOfTerm.set(node.currentTerm, id);
      else if (other !== id)
        return `${other} and ${id} were both leader in term ${node.currentTerm}`;
    }
  });

  simulation.addInvariant("a node's term never decreases, even across restarts", () => {
    for (const [id, node] of live()) {
      const term = node.currentTerm;
      const highest = highestTerm.get(id) ?? 0;
      if (term < highest) {
        return `${id}'s term went from ${highest} back to ${term}: terms must only grow, and must be in storage to survive a restart`;
      }
      highestTerm.set(id, term);
    }
  });

  simulation.addInvariant("a node votes for at most one candidate per term", () => {
    for (const [id, node] of live()) {
      const votedFor = node.votedFor;
      if (votedFor === undefined) continue;
      const term = node.currentTerm;
      const last = lastVote.get(id);
      if (last !== undefined && last.term === term && last.votedFor === votedFor) continue;
      const key = `${id}/${term}`;
      const earlier = voteInTerm.get(key);
      if (earlier === undefined) voteInTerm.set(key, votedFor);
      else if (earlier !== votedFor) {
        return `${id} voted for ${earlier} and then for ${votedFor} in term ${node.currentTerm}: one vote per term, remembered across restarts`;
      }
      lastVote.set(id, { term, votedFor });
    }
  });
}

/**
 * Figure 3's log properties. Logs are compared by entry: each (index, term) pair names one
 * entry for all time, created by the one leader of that term, so its command, and the term of
 * the entry before it, must be the same on every node, ever (log matching, by induction).
 */
function addReplicationInvariants(
  simulation: Simulation<RaftMessage<Command>>,
  live: LiveNodes,
): void {
  const entryAt = new Map<string, { command: Command; previousTerm: number; on: NodeId }>();
  /** Each node's log as last checked, to check only the entries that changed since. */
  const lastLog = new Map<NodeId, readonly LogEntry<Command>[]>();
  const logChecked = new Map<NodeId, number>();
  /** Entries known committed, by index, with the term of the node that first saw it committed. */
  const committed = new Map<number, { term: number; command: Command; seenInTerm: number }>();
  const commitChecked = new Map<NodeId, number>();
  /** How far each node's commitIndex has been read, and in which of its lives. */
  const committedSeen = new Map<NodeId, { node: RaftNode<Command>; upTo: number }>();
  const leaderChecked = new Map<NodeId, { node: RaftNode<Command>; term: number }>();

  simulation.addInvariant("log matching", () => {
    for (const [id, node] of changedNodes(live, logChecked)) {
      const log = node.log;
      const previous = lastLog.get(id) ?? [];
      // Entries are compared by identity: an unchanged prefix needs no second look.
      let from = 0;
      while (from < log.length && from < previous.length && log[from] === previous[from]) from++;
      lastLog.set(id, log);
      for (let offset = from; offset < log.length; offset++) {
        const entry = log[offset]!;
        const previousTerm = offset === 0 ? 0 : log[offset - 1]!.term;
        const key = `${offset + 1}/${entry.term}`;
        const known = entryAt.get(key);
        if (known === undefined) {
          entryAt.set(key, { command: entry.command, previousTerm, on: id });
        } else if (known.command !== entry.command || known.previousTerm !== previousTerm) {
          return (
            `${id} holds ${describe(entry.command, offset + 1, entry.term)} after an entry of term ${previousTerm}, ` +
            `but ${known.on} held ${describe(known.command, offset + 1, entry.term)} after an entry of term ${known.previousTerm}: ` +
            `two logs with an entry of the same index and term must be identical up to it`
          );
        }
      }
    }
  });

  simulation.addInvariant("leader completeness", () => {
    const newlyCommitted: number[] = [];
    const changed = changedNodes(live, commitChecked);
    for (const [id, node] of changed) {
      const seen = committedSeen.get(id);
      const upTo = seen !== undefined && seen.node === node ? seen.upTo : 0;
      committedSeen.set(id, { node, upTo: Math.max(upTo, node.commitIndex) });
      if (node.commitIndex <= upTo) continue;
      const log = node.log;
      if (node.commitIndex > log.length) {
        return `${id}'s commitIndex is ${node.commitIndex}, past the end of its log (${log.length} entries)`;
      }
      for (let index = upTo + 1; index <= node.commitIndex; index++) {
        const entry = log[index - 1]!;
        const known = committed.get(index);
        if (known === undefined) {
          committed.set(index, { ...entry, seenInTerm: node.currentTerm });
          newlyCommitted.push(index);
        } else if (known.term !== entry.term || known.command !== entry.command) {
          return `${id} committed ${describe(entry.command, index, entry.term)}, but ${describe(known.command, index, known.term)} was committed there before`;
        }
      }
    }
    // Every leader of a later term must hold every committed entry (section 5.4). A new leader
    // is checked against all of them; a known leader only against what was just committed.
    for (const [id, node] of live()) {
      if (node.role !== "leader") continue;
      const checked = leaderChecked.get(id);
      const isNew =
        checked === undefined || checked.node !== node || checked.term !== node.currentTerm;
      const indexes = isNew ? [...committed.keys()] : newlyCommitted;
      leaderChecked.set(id, { node, term: node.currentTerm });
      if (indexes.length === 0) continue;
      const log = node.log;
      for (const index of indexes) {
        const entry = committed.get(index)!;
        if (entry.seenInTerm >= node.currentTerm) continue;
        const held = log[index - 1];
        if (held === undefined || held.term !== entry.term || held.command !== entry.command) {
          return (
            `${id} leads term ${node.currentTerm} without the committed ${describe(entry.command, index, entry.term)} ` +
            `(it holds ${held === undefined ? "nothing" : describe(held.command, index, held.term)} there): ` +
            `a committed entry must be in the log of every later leader`
          );
        }
      }
    }
  });
}

function describe(command: Command, index: number, term: number): string {
  return `${JSON.stringify(command)} at index ${index} (term ${term})`;
}

// ---------------------------------------------------------------- counting messages

function emptyCounts(): MessageCounts {
  return {
    RequestVote: 0,
    RequestVoteReply: 0,
    AppendEntries: 0,
    AppendEntriesReply: 0,
    entriesSent: 0,
    appendEntriesTo: new Map(),
    rejectionsFrom: new Map(),
  };
}

/** The node's context with its sends counted; everything else passes straight through. */
function countingContext(
  context: NodeContext<RaftMessage<Command>>,
  counts: MessageCounts,
): NodeContext<RaftMessage<Command>> {
  const count = (to: NodeId, message: RaftMessage<Command>): void => {
    counts[message.type]++;
    if (message.type === "AppendEntries") {
      counts.entriesSent += message.entries.length;
      counts.appendEntriesTo.set(to, (counts.appendEntriesTo.get(to) ?? 0) + 1);
    }
    if (message.type === "AppendEntriesReply" && !message.success) {
      counts.rejectionsFrom.set(context.id, (counts.rejectionsFrom.get(context.id) ?? 0) + 1);
    }
  };
  return {
    ...context,
    send(to, message) {
      count(to, message);
      context.send(to, message);
    },
    broadcast(message) {
      for (const peer of context.peers) count(peer, message);
      context.broadcast(message);
    },
  };
}
