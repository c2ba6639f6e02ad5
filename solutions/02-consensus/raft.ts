import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

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

  // Persistent state on all servers: written to storage before any message that depends on it
  // leaves this node, because a vote or an acknowledgement is a promise that must survive a crash.
  #currentTerm = 0;
  #votedFor: NodeId | undefined = undefined;
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
    return this.#role;
  }

  /** The latest term this node has seen (0 before any election); durable. */
  get currentTerm(): number {
    return this.#currentTerm;
  }

  /** The candidate this node voted for in currentTerm, if any; durable. */
  get votedFor(): NodeId | undefined {
    return this.#votedFor;
  }

  /** The node this one believes leads the current term, if it knows. */
  get leaderId(): NodeId | undefined {
    return this.#leaderId;
  }

  /** The log, 1-based: entry i is log[i - 1]. A copy or read-only view. */
  get log(): readonly LogEntry<Command>[] {
    return [...this.#log];
  }

  /** The highest log index known to be committed; volatile, so 0 again after a restart. */
  get commitIndex(): number {
    return this.#commitIndex;
  }

  /** The highest log index passed to the apply callback; volatile, so 0 again after a restart. */
  get lastApplied(): number {
    return this.#lastApplied;
  }

  // ---------------------------------------------------------------- 2.2 leader election

  onStart(): void {
    const storage = this.#context.storage;
    this.#currentTerm = storage.get<number>(currentTermKey) ?? 0;
    this.#votedFor = storage.get<NodeId | null>(votedForKey) ?? undefined;
    const logLength = storage.get<number>(logLengthKey) ?? 0;
    for (let index = 1; index <= logLength; index++) {
      this.#log.push(storage.get<LogEntry<Command>>(logEntryKey(index))!);
    }
    // Every node starts as a follower, restarted ones included: hearing from a leader is how it
    // learns there is one, and the election timer is how it finds out there is not.
    this.#resetElectionTimer();
  }

  onTimer(name: string): void {
    if (name === "election") {
      this.#startElection();
    } else if (name === "heartbeat" && this.#role === "leader") {
      this.#broadcastAppendEntries();
    }
  }

  onMessage(from: NodeId, message: RaftMessage<Command>): void {
    // Figure 2, rules for all servers: a newer term anywhere means this node's term is over,
    // whatever role it had in it. Checking here, before any handler, covers replies as well.
    if (message.term > this.#currentTerm) this.#stepDown(message.term);
    switch (message.type) {
      case "RequestVote":
        return this.#handleRequestVote(from, message);
      case "RequestVoteReply":
        return this.#handleRequestVoteReply(from, message);
      case "AppendEntries":
        return this.#handleAppendEntries(from, message);
      case "AppendEntriesReply":
        // A reply from an older term answers a leader that no longer exists.
        if (this.#role === "leader" && message.term === this.#currentTerm) {
          this.#handleAppendEntriesReply(from, message);
        }
        return;
    }
  }

  /** Arms the election timer with a fresh random timeout, so that split votes do not repeat. */
  #resetElectionTimer(): void {
    const { min, max } = this.#electionTimeoutMs;
    this.#context.setTimer("election", this.#context.randomInt(min, max));
  }

  /** Writes term and vote to storage: both must be on disk before a vote or a request leaves. */
  #persistTermAndVote(): void {
    this.#context.storage.set(currentTermKey, this.#currentTerm);
    this.#context.storage.set(votedForKey, this.#votedFor ?? null);
  }

  /** Moves to a newer term as a follower, with no vote cast in it yet. */
  #stepDown(term: number): void {
    const wasLeader = this.#role === "leader";
    this.#context.note(`term ${term} is newer than ${this.#currentTerm}: following`);
    this.#currentTerm = term;
    this.#votedFor = undefined;
    this.#persistTermAndVote();
    this.#role = "follower";
    this.#leaderId = undefined;
    // A follower or candidate keeps the timer it has: only a leader of the new term, or a vote
    // granted, may hold off this node's next election. A former leader had no timer at all.
    if (wasLeader) {
      this.#context.cancelTimer("heartbeat");
      this.#resetElectionTimer();
    }
  }

  /** Section 5.2: a follower that heard from no leader for a whole timeout runs for leader. */
  #startElection(): void {
    this.#currentTerm++;
    this.#role = "candidate";
    this.#votedFor = this.#context.id;
    this.#leaderId = undefined;
    this.#persistTermAndVote();
    this.#votesReceived = new Set([this.#context.id]);
    this.#context.note(`election timeout: standing for term ${this.#currentTerm}`);
    // If this election splits the vote, the next timeout starts a new one in a later term.
    this.#resetElectionTimer();
    if (this.#hasMajority(this.#votesReceived.size)) {
      this.#becomeLeader(); // a cluster of one
      return;
    }
    this.#context.broadcast({
      type: "RequestVote",
      term: this.#currentTerm,
      candidateId: this.#context.id,
      lastLogIndex: this.#lastLogIndex(),
      lastLogTerm: this.#lastLogTerm(),
    });
  }

  #handleRequestVote(from: NodeId, request: RequestVote): void {
    // onMessage has already moved this node up to a newer term, so request.term is now either
    // this node's term or an older one, which gets no vote.
    const voteGranted =
      request.term === this.#currentTerm &&
      (this.#votedFor === undefined || this.#votedFor === request.candidateId) &&
      this.#isAtLeastAsUpToDate(request.lastLogTerm, request.lastLogIndex);
    if (voteGranted) {
      this.#votedFor = request.candidateId;
      this.#persistTermAndVote();
      // Granting a vote is the one thing besides a current leader that resets the timer: a
      // refused candidate must not be able to keep this node from running itself.
      this.#resetElectionTimer();
    }
    this.#context.send(from, { type: "RequestVoteReply", term: this.#currentTerm, voteGranted });
  }

  /**
   * Section 5.4.1, the election restriction: vote only for a candidate whose log ends in a later
   * term, or in the same term and at least as far. A majority holds every committed entry, so a
   * candidate that wins a majority of such votes holds them all.
   */
  #isAtLeastAsUpToDate(lastLogTerm: number, lastLogIndex: number): boolean {
    if (lastLogTerm !== this.#lastLogTerm()) return lastLogTerm > this.#lastLogTerm();
    return lastLogIndex >= this.#lastLogIndex();
  }

  #handleRequestVoteReply(from: NodeId, reply: RequestVoteReply): void {
    // A vote from an earlier election, or arriving after this one was won or lost, counts for nothing.
    if (this.#role !== "candidate" || reply.term !== this.#currentTerm || !reply.voteGranted)
      return;
    this.#votesReceived.add(from);
    if (this.#hasMajority(this.#votesReceived.size)) this.#becomeLeader();
  }

  #becomeLeader(): void {
    this.#role = "leader";
    this.#leaderId = this.#context.id;
    this.#context.note(
      `won term ${this.#currentTerm} with votes from ${[...this.#votesReceived].join(", ")}`,
    );
    // Optimistic nextIndex: assume every follower's log matches this one, and let the
    // consistency check in AppendEntries find out where it does not.
    for (const peer of this.#context.peers) {
      this.#nextIndex.set(peer, this.#lastLogIndex() + 1);
      this.#matchIndex.set(peer, 0);
    }
    this.#context.cancelTimer("election");
    // Announce the win at once, before another follower's timer runs out.
    this.#broadcastAppendEntries();
  }

  /** Sends every follower what it is missing (nothing, for a heartbeat), and re-arms the heartbeat. */
  #broadcastAppendEntries(): void {
    for (const peer of this.#context.peers) this.#context.send(peer, this.#appendEntriesFor(peer));
    this.#context.setTimer("heartbeat", this.#heartbeatIntervalMs);
  }

  #handleAppendEntries(from: NodeId, request: AppendEntries<Command>): void {
    if (request.term < this.#currentTerm) {
      // A leader of an older term: refuse, and tell it the term so it steps down. It is not a
      // leader this node follows, so it must not hold off this node's election either.
      this.#context.send(from, {
        type: "AppendEntriesReply",
        term: this.#currentTerm,
        success: false,
        matchIndex: 0,
        conflictTerm: 0,
        conflictIndex: 0,
      });
      return;
    }
    // request.term is this node's term (onMessage caught up), and its sender won it.
    if (this.#role === "leader") {
      throw new Error(
        `Two leaders in term ${this.#currentTerm}: ${this.#context.id} and ${request.leaderId}`,
      );
    }
    if (this.#role === "candidate") {
      this.#context.note(`${request.leaderId} won term ${request.term}: following`);
      this.#role = "follower";
    }
    this.#leaderId = request.leaderId;
    this.#resetElectionTimer();
    this.#context.send(from, {
      type: "AppendEntriesReply",
      term: this.#currentTerm,
      ...this.#acceptEntries(request),
    });
  }

  // ---------------------------------------------------------------- 2.3 log replication

  /**
   * On the leader: appends the command and returns where it will be committed; elsewhere
   * undefined. The entry is committed only if it is still at that index, with that term, once
   * the commit index passes it: a leader that loses its leadership first may see it replaced.
   */
  propose(command: Command): { index: number; term: number } | undefined {
    if (this.#role !== "leader") return undefined;
    this.#appendToLog([{ term: this.#currentTerm, command }]);
    const index = this.#lastLogIndex();
    // Send now rather than at the next heartbeat: a client waits for this entry.
    this.#broadcastAppendEntries();
    this.#advanceCommitIndex(); // a cluster of one commits on its own
    return { index, term: this.#currentTerm };
  }

  /** What the leader sends `peer`: everything from its nextIndex on, after the entry before it. */
  #appendEntriesFor(peer: NodeId): AppendEntries<Command> {
    const prevLogIndex = this.#nextIndex.get(peer)! - 1;
    return {
      type: "AppendEntries",
      term: this.#currentTerm,
      leaderId: this.#context.id,
      prevLogIndex,
      prevLogTerm: this.#termAt(prevLogIndex),
      entries: this.#log.slice(prevLogIndex),
      leaderCommit: this.#commitIndex,
    };
  }

  /**
   * Figure 2, AppendEntries receiver steps 2 to 5, on a follower of the sender's term: the
   * consistency check, then storing the entries, then learning the commit index.
   */
  #acceptEntries(
    request: AppendEntries<Command>,
  ): Pick<AppendEntriesReply, "success" | "matchIndex" | "conflictTerm" | "conflictIndex"> {
    const { prevLogIndex, prevLogTerm, entries } = request;
    if (prevLogIndex > this.#lastLogIndex()) {
      return {
        success: false,
        matchIndex: 0,
        conflictTerm: 0,
        conflictIndex: this.#lastLogIndex() + 1,
      };
    }
    if (this.#termAt(prevLogIndex) !== prevLogTerm) {
      const conflictTerm = this.#termAt(prevLogIndex);
      let conflictIndex = prevLogIndex;
      while (conflictIndex > 1 && this.#termAt(conflictIndex - 1) === conflictTerm) conflictIndex--;
      return { success: false, matchIndex: 0, conflictTerm, conflictIndex };
    }
    // Only an entry that conflicts (same index, other term) is removed, with all after it. An
    // entry that matches stays, and so does anything after the new ones: this request may be an
    // old one, delayed, and the entries past it may already be counted towards a commit.
    for (const [offset, entry] of entries.entries()) {
      const index = prevLogIndex + 1 + offset;
      if (index <= this.#lastLogIndex() && this.#termAt(index) === entry.term) continue;
      if (index <= this.#lastLogIndex()) this.#truncateLog(index - 1);
      this.#appendToLog(entries.slice(offset));
      break;
    }
    const matchIndex = prevLogIndex + entries.length;
    // Only what this request proved matches may be committed: past matchIndex this log may
    // still hold entries from another leader.
    const commitIndex = Math.min(request.leaderCommit, matchIndex);
    if (commitIndex > this.#commitIndex) {
      this.#commitIndex = commitIndex;
      this.#applyCommitted();
    }
    return { success: true, matchIndex, conflictTerm: 0, conflictIndex: 0 };
  }

  #handleAppendEntriesReply(from: NodeId, reply: AppendEntriesReply): void {
    const matchIndex = this.#matchIndex.get(from)!;
    if (reply.success) {
      // Replies can arrive late and out of order: only ever move forward.
      if (reply.matchIndex <= matchIndex) return;
      this.#matchIndex.set(from, reply.matchIndex);
      this.#nextIndex.set(from, Math.max(this.#nextIndex.get(from)!, reply.matchIndex + 1));
      this.#advanceCommitIndex();
      return;
    }
    // Refused for its term, not for its log: an old request reached a follower that has moved
    // on. There is nothing to learn about the follower's log.
    if (reply.conflictIndex === 0) return;
    // The consistency check failed at the follower. Skip back a whole term at a time: to just
    // past this log's last entry of the follower's conflicting term if it has one (the logs
    // match up to there), or else to where the follower's conflicting term begins.
    let nextIndex = reply.conflictIndex;
    if (reply.conflictTerm !== 0) {
      const lastOfTerm = this.#log.findLastIndex((entry) => entry.term === reply.conflictTerm) + 1;
      if (lastOfTerm > 0) nextIndex = lastOfTerm + 1;
    }
    // A late reply must not undo what a later success proved, nor push nextIndex forward.
    nextIndex = Math.max(matchIndex + 1, Math.min(nextIndex, this.#nextIndex.get(from)!));
    this.#nextIndex.set(from, nextIndex);
    this.#context.send(from, this.#appendEntriesFor(from));
  }

  /**
   * Figure 2, rules for leaders: commit the highest index stored on a majority, but only if it
   * holds an entry of the current term (section 5.4.2, figure 8). An entry of an earlier term
   * on a majority can still be overwritten by a leader that never saw it; once an entry of this
   * term sits on a majority, no such leader can be elected, and everything before it is safe too.
   */
  #advanceCommitIndex(): void {
    for (let index = this.#lastLogIndex(); index > this.#commitIndex; index--) {
      if (this.#termAt(index) !== this.#currentTerm) break;
      let replicas = 1;
      for (const peer of this.#context.peers) {
        if (this.#matchIndex.get(peer)! >= index) replicas++;
      }
      if (this.#hasMajority(replicas)) {
        this.#commitIndex = index;
        this.#applyCommitted();
        return;
      }
    }
  }

  /** Hands every committed entry not yet applied to the state machine, in log order. */
  #applyCommitted(): void {
    while (this.#lastApplied < this.#commitIndex) {
      // Count it applied first, so that an apply callback that calls back into this node sees
      // a consistent lastApplied.
      this.#lastApplied++;
      const { term, command } = this.#log[this.#lastApplied - 1]!;
      this.#apply?.({ index: this.#lastApplied, term, command });
    }
  }

  // ---------------------------------------------------------------- the log, durably

  #appendToLog(entries: readonly LogEntry<Command>[]): void {
    for (const entry of entries) {
      this.#log.push(entry);
      this.#context.storage.set(logEntryKey(this.#log.length), entry);
    }
    this.#context.storage.set(logLengthKey, this.#log.length);
  }

  /** Keeps the first `length` entries and removes the rest, on disk too. */
  #truncateLog(length: number): void {
    for (let index = length + 1; index <= this.#log.length; index++) {
      this.#context.storage.delete(logEntryKey(index));
    }
    this.#log.length = length;
    this.#context.storage.set(logLengthKey, length);
  }

  /** The term of the entry at `index`; index 0, before the first entry, has term 0. */
  #termAt(index: number): number {
    return index === 0 ? 0 : this.#log[index - 1]!.term;
  }

  #lastLogIndex(): number {
    return this.#log.length;
  }

  #lastLogTerm(): number {
    return this.#termAt(this.#log.length);
  }

  /** Whether `count` nodes are a majority of the cluster (the peers and this node). */
  #hasMajority(count: number): boolean {
    return count * 2 > this.#context.peers.length + 1;
  }
}
