import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

/**
 * Exercises 2.2 and 2.3 — Raft (Ongaro & Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", 2014). Section numbers below refer to the extended version of the paper; figure 2
 * is the one-page summary every rule here comes from.
 *
 * 2.2 Leader election: terms, RequestVote and its reply, randomized election timeouts,
 * heartbeats (empty AppendEntries), stepping down on a higher term, and persisting the term and
 * the vote so a restarted node cannot vote twice.
 *
 * 2.3 Log replication: the consistency check in AppendEntries, removing conflicting entries,
 * nextIndex and matchIndex, backing up nextIndex quickly with the follower's conflict hints,
 * committing only by counting replicas of current-term entries, applying in order, and propose.
 */

/** What a node is doing in its current term. */
export type Role = "follower" | "candidate" | "leader";

/** One slot of the replicated log: a client's command and the term of the leader that took it. */
export interface LogEntry<Command> {
  term: number;
  command: Command;
}

/** How a RaftNode behaves; every field has a default. */
export interface RaftOptions<Command> {
  /** Called once per committed entry, in log order, on every node that applies it (index is 1-based). */
  apply?: (entry: { index: number; term: number; command: Command }) => void;
  /**
   * How long a follower waits without hearing from a leader before it starts an election,
   * drawn afresh from this range every time the timer is set (section 5.2).
   * @default { min: 150, max: 300 }
   */
  electionTimeoutMs?: { min: number; max: number };
  /** How often a leader sends AppendEntries to every follower when it has nothing new. @default 50 */
  heartbeatIntervalMs?: number;
}

/** A candidate asks for a vote (figure 2, RequestVote RPC). */
export interface RequestVote {
  type: "RequestVote";
  /** The candidate's term. */
  term: number;
  candidateId: NodeId;
  /** Index and term of the candidate's last log entry (0 and 0 for an empty log), for the up-to-date check. */
  lastLogIndex: number;
  lastLogTerm: number;
}

/** The answer to a RequestVote. */
export interface RequestVoteReply {
  type: "RequestVoteReply";
  /** The voter's current term, so that a candidate from an older term steps down. */
  term: number;
  voteGranted: boolean;
}

/** A leader replicates entries, or just asserts its leadership when `entries` is empty (figure 2). */
export interface AppendEntries<Command> {
  type: "AppendEntries";
  /** The leader's term. */
  term: number;
  leaderId: NodeId;
  /** The index and term of the entry just before `entries`: the follower must hold a matching one. */
  prevLogIndex: number;
  prevLogTerm: number;
  /** The entries to store at prevLogIndex + 1 onwards; empty for a heartbeat. */
  entries: LogEntry<Command>[];
  /** The leader's commitIndex. */
  leaderCommit: number;
}

/**
 * The answer to an AppendEntries. Messages, unlike RPCs, do not return to their caller, so the
 * reply says what it is about: the leader may have sent several AppendEntries since.
 */
export interface AppendEntriesReply {
  type: "AppendEntriesReply";
  /** The follower's current term, so that a leader from an older term steps down. */
  term: number;
  /** Whether the follower held an entry matching prevLogIndex and prevLogTerm. */
  success: boolean;
  /** On success, the last index where the follower's log now matches the leader's (prevLogIndex + entries.length); otherwise 0. */
  matchIndex: number;
  /**
   * On a failed consistency check: the term of the follower's entry at prevLogIndex, or 0 when
   * its log is too short to have one. Otherwise 0.
   */
  conflictTerm: number;
  /**
   * On a failed consistency check: the first index where the follower holds conflictTerm, or
   * (conflictTerm 0) the follower's last log index + 1. Otherwise 0, which also marks a request
   * refused for its stale term. With these two hints the leader skips a whole term of
   * mismatched entries per round instead of one entry.
   */
  conflictIndex: number;
}

/** Every message RaftNodes send each other. */
export type RaftMessage<Command> =
  RequestVote | RequestVoteReply | AppendEntries<Command> | AppendEntriesReply;

const raftMessageTypes: ReadonlySet<string> = new Set([
  "RequestVote",
  "RequestVoteReply",
  "AppendEntries",
  "AppendEntriesReply",
]);

/** Whether `message` is one of Raft's own, for a node that embeds a RaftNode and forwards them. */
export function isRaftMessage<Command>(message: { type: string }): message is RaftMessage<Command> {
  return raftMessageTypes.has(message.type);
}

/** The names of the timers a RaftNode sets, for a node that embeds one and forwards its timers. */
export const raftTimerNames: readonly string[] = ["election", "heartbeat"];

// Storage keys start with "raft/" so a node that embeds a RaftNode can keep its own state in the
// same storage. Each log entry has its own key: appending writes one entry, not the whole log.
const currentTermKey = "raft/currentTerm";
const votedForKey = "raft/votedFor";
const logLengthKey = "raft/logLength";
const logEntryKey = (index: number): string => `raft/log/${index}`;

/**
 * One Raft server. The cluster is `context.peers` plus this node; a majority of it must agree
 * before anything is committed.
 *
 * How the two exercises share this class: 2.2 writes everything up to "2.3 log replication";
 * 2.3 writes the rest. An election needs only an empty log, and three 2.3 methods that 2.2's
 * code calls (`#appendEntriesFor`, `#acceptEntries`, `#handleAppendEntriesReply`) already
 * answer the empty-log case themselves, so 2.2's tests pass before 2.3 is begun: with no
 * entries, a heartbeat's prevLogIndex is 0, which every log matches; there is nothing to append
 * and nothing to commit. In 2.3, replace those three bodies whole.
 *
 * The fields below are figure 2's state, ready to use; add, rename or remove private members
 * as you like. The tests only read the public getters and call the public methods.
 *
 * @example
 * const simulation = new Simulation<RaftMessage<string>>({ seed });
 * const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new RaftNode(context));
 * simulation.runUntil(() => nodes.liveNodes().some((node) => node.role === "leader"), { withinMs: 2_000 });
 */
export class RaftNode<Command> implements SimulatedNode<RaftMessage<Command>> {
  readonly #context: NodeContext<RaftMessage<Command>>;
  readonly #apply: RaftOptions<Command>["apply"];
  readonly #electionTimeoutMs: { min: number; max: number };
  readonly #heartbeatIntervalMs: number;

  // Persistent state on all servers: only what is in `this.#context.storage` survives a crash.
  // Write it there before sending any message that depends on it: a vote or an acknowledgement
  // is a promise that must outlive the node that made it.
  #currentTerm = 0;
  #votedFor: NodeId | undefined = undefined;
  /** Entry i (1-based, as in the paper) is `#log[i - 1]`; index 0 has term 0. */
  #log: LogEntry<Command>[] = [];

  // Volatile state on all servers.
  #commitIndex = 0;
  #lastApplied = 0;
  #role: Role = "follower";
  #leaderId: NodeId | undefined = undefined;

  // Volatile state on candidates: who has voted for this node in the current term. A set, so a
  // duplicated reply is not counted twice.
  #votesReceived = new Set<NodeId>();

  // Volatile state on leaders, reinitialized after each election.
  /** For each follower, the index of the next entry to send it. */
  #nextIndex = new Map<NodeId, number>();
  /** For each follower, the highest index known to be replicated on it. */
  #matchIndex = new Map<NodeId, number>();

  constructor(context: NodeContext<RaftMessage<Command>>, options: RaftOptions<Command> = {}) {
    this.#context = context;
    this.#apply = options.apply;
    this.#electionTimeoutMs = options.electionTimeoutMs ?? { min: 150, max: 300 };
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 50;
    const { min, max } = this.#electionTimeoutMs;
    if (!(Number.isInteger(min) && Number.isInteger(max) && min > 0 && max >= min)) {
      throw new RangeError(
        `Expected electionTimeoutMs to be whole numbers with 0 < min <= max, got ${JSON.stringify(this.#electionTimeoutMs)}`,
      );
    }
    if (!(this.#heartbeatIntervalMs > 0 && this.#heartbeatIntervalMs < min)) {
      throw new RangeError(
        `Expected heartbeatIntervalMs between 0 and electionTimeoutMs.min (${min}), got ${this.#heartbeatIntervalMs}: ` +
          `followers would start elections under a healthy leader`,
      );
    }
  }

  // ---------------------------------------------------------------- what the tests read

  /** What this node is doing in its current term. */
  get role(): Role {
    return todo("2.2", "return this node's role: follower, candidate or leader");
  }

  /** The latest term this node has seen (0 before any election); durable. */
  get currentTerm(): number {
    return todo("2.2", "return the latest term this node has seen");
  }

  /** The candidate this node voted for in currentTerm, if any; durable. */
  get votedFor(): NodeId | undefined {
    return todo("2.2", "return whom this node voted for in its current term, if anyone");
  }

  /** The node this one believes leads the current term, if it knows. */
  get leaderId(): NodeId | undefined {
    return todo("2.2", "return the leader of the current term, if this node knows it");
  }

  /** The log, 1-based: entry i is log[i - 1]. A copy or read-only view. */
  get log(): readonly LogEntry<Command>[] {
    return todo("2.3", "return a copy of the log, so callers cannot change it");
  }

  /** The highest log index known to be committed; volatile, so 0 again after a restart. */
  get commitIndex(): number {
    return todo("2.3", "return the highest log index known to be committed");
  }

  /** The highest log index passed to the apply callback; volatile, so 0 again after a restart. */
  get lastApplied(): number {
    return todo("2.3", "return the highest log index handed to the apply callback");
  }

  // ---------------------------------------------------------------- 2.2 leader election

  /** Runs on the first start and after every restart. */
  onStart(): void {
    todo(
      "2.2",
      "restore currentTerm, votedFor and the log from this.#context.storage (nothing there on a first start), and arm the election timer as a follower",
    );
  }

  /** "election": no leader was heard from for a whole timeout. "heartbeat": time to assert leadership. */
  onTimer(name: string): void {
    todo(
      "2.2",
      `handle the timer "${name}": on "election" start an election; on "heartbeat", if still leader, send AppendEntries to every follower`,
    );
  }

  onMessage(from: NodeId, message: RaftMessage<Command>): void {
    todo(
      "2.2",
      `handle ${message.type} from ${from}: first, if its term is newer than yours, step down to follower in that term (#stepDown); then pass it to its handler (an AppendEntriesReply only if you lead the reply's term)`,
    );
  }

  /** Arms the election timer with a fresh random timeout, so that split votes do not repeat. */
  #resetElectionTimer(): void {
    todo(
      "2.2",
      'set the timer "election" to a random delay between electionTimeoutMs.min and max (context.randomInt)',
    );
  }

  /** Writes term and vote to storage: both must be on disk before a vote or a request leaves. */
  #persistTermAndVote(): void {
    todo("2.2", "write currentTerm and votedFor to this.#context.storage");
  }

  /** Moves to a newer term as a follower, with no vote cast in it yet. */
  #stepDown(term: number): void {
    todo(
      "2.2",
      `move to term ${term} as a follower with no vote, persist that, forget the leader; a former leader stops its heartbeat and arms its election timer (a follower or candidate keeps the timer it has)`,
    );
  }

  /** Section 5.2: a follower that heard from no leader for a whole timeout runs for leader. */
  #startElection(): void {
    todo(
      "2.2",
      "start an election: next term, become candidate, vote for yourself (persisted), re-arm the election timer, and send RequestVote to every peer with your last log index and term",
    );
  }

  #handleRequestVote(from: NodeId, request: RequestVote): void {
    todo(
      "2.2",
      `answer ${request.candidateId}'s RequestVote for term ${request.term} from ${from}: grant only in your current term, if you have not voted for someone else, and if its log is at least as up-to-date as yours (section 5.4.1); persist a vote and re-arm your election timer before replying`,
    );
  }

  #handleRequestVoteReply(from: NodeId, reply: RequestVoteReply): void {
    todo(
      "2.2",
      `count ${from}'s vote (granted: ${reply.voteGranted}) if you are still a candidate in term ${reply.term}, and become leader on a majority of the cluster`,
    );
  }

  #becomeLeader(): void {
    todo(
      "2.2",
      "become leader: note it, set every follower's nextIndex to your last log index + 1 and matchIndex to 0, stop the election timer, and send AppendEntries to every follower at once",
    );
  }

  /** Sends every follower what it is missing (nothing, for a heartbeat), and re-arms the heartbeat. */
  #broadcastAppendEntries(): void {
    todo(
      "2.2",
      'send each peer this.#appendEntriesFor(peer), then set the timer "heartbeat" to heartbeatIntervalMs',
    );
  }

  #handleAppendEntries(from: NodeId, request: AppendEntries<Command>): void {
    todo(
      "2.2",
      `answer ${from}'s AppendEntries for term ${request.term}: refuse an older term (success false, conflictIndex 0, your term, and no timer reset); otherwise its sender leads your term: become follower, remember the leader, re-arm the election timer, and reply with this.#acceptEntries(request)`,
    );
  }

  // ---------------------------------------------------------------- 2.3 log replication

  /**
   * On the leader: appends the command and returns where it will be committed; elsewhere
   * undefined. The entry is committed only if it is still at that index, with that term, once
   * the commit index passes it: a leader that loses its leadership first may see it replaced.
   */
  propose(command: Command): { index: number; term: number } | undefined {
    return todo(
      "2.3",
      `if leader, append ${JSON.stringify(command)} to the log in your term (persisted), send AppendEntries to every follower, and return its index and term; otherwise return undefined`,
    );
  }

  /** What the leader sends `peer`: everything from its nextIndex on, after the entry before it. */
  #appendEntriesFor(peer: NodeId): AppendEntries<Command> {
    // Lets 2.2 run before 2.3: with an empty log, every AppendEntries is this heartbeat.
    if (this.#log.length === 0) {
      return {
        type: "AppendEntries",
        term: this.#currentTerm,
        leaderId: this.#context.id,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [],
        leaderCommit: 0,
      };
    }
    return todo(
      "2.3",
      `build the AppendEntries for ${peer}: the entries from its nextIndex on, with prevLogIndex and prevLogTerm of the entry before them, and your commitIndex`,
    );
  }

  /**
   * Figure 2, AppendEntries receiver steps 2 to 5, on a follower of the sender's term: the
   * consistency check, then storing the entries, then learning the commit index.
   */
  #acceptEntries(
    request: AppendEntries<Command>,
  ): Pick<AppendEntriesReply, "success" | "matchIndex" | "conflictTerm" | "conflictIndex"> {
    // Lets 2.2 run before 2.3: index 0 matches every log, and there is nothing to store or commit.
    if (request.prevLogIndex === 0 && request.entries.length === 0 && request.leaderCommit === 0) {
      return { success: true, matchIndex: 0, conflictTerm: 0, conflictIndex: 0 };
    }
    return todo(
      "2.3",
      `check that your log holds an entry at prevLogIndex ${request.prevLogIndex} with term ${request.prevLogTerm} (if not, fail with conflictTerm and conflictIndex hints); remove only entries that conflict with the new ones, append those missing, persist, and advance commitIndex to min(leaderCommit, last new index)`,
    );
  }

  #handleAppendEntriesReply(from: NodeId, reply: AppendEntriesReply): void {
    // Lets 2.2 run before 2.3: a heartbeat on an empty log teaches the leader nothing.
    if (reply.success && reply.matchIndex === 0) return;
    todo(
      "2.3",
      `on success, raise ${from}'s matchIndex and nextIndex (never lower them) and try to advance commitIndex; on failure, move nextIndex back using conflictTerm and conflictIndex and send again`,
    );
  }

  /**
   * Figure 2, rules for leaders: commit the highest index stored on a majority, but only if it
   * holds an entry of the current term (section 5.4.2, figure 8).
   */
  #advanceCommitIndex(): void {
    todo(
      "2.3",
      "find the highest index N > commitIndex held by a majority (matchIndex, and yourself) whose entry has your current term; set commitIndex to N and apply",
    );
  }

  /** Hands every committed entry not yet applied to the state machine, in log order. */
  #applyCommitted(): void {
    todo(
      "2.3",
      "call the apply option with each entry from lastApplied + 1 to commitIndex, in order, raising lastApplied",
    );
  }
}
