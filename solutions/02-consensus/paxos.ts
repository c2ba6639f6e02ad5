import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 2.1 — single-decree Paxos, as Lamport describes it in "Paxos Made Simple" (2001):
 * a few nodes agree on one value, even though messages are lost, duplicated and reordered,
 * nodes crash and restart, and several nodes propose different values at once.
 *
 * Every node plays all three roles. As an acceptor it votes; as a proposer it tries to get the
 * value a client gave it chosen; as a learner it finds out which value was chosen. A value is
 * chosen once a majority of acceptors have accepted it under the same ballot.
 *
 * Phase 1a  a proposer picks a ballot higher than any it has used and sends `prepare` to the
 *           acceptors.
 * Phase 1b  an acceptor that has promised nothing higher promises not to accept anything below
 *           that ballot, and replies with the highest-numbered proposal it has accepted.
 * Phase 2a  with promises from a majority, the proposer sends `accept` with the value of the
 *           highest-numbered proposal among them, or its own value if none reported one.
 * Phase 2b  an acceptor accepts unless it has promised a higher ballot, and tells every learner.
 * Learning  a learner that hears a majority of acceptors accept the same ballot knows its value
 *           is chosen.
 */

/**
 * A proposal number. Paxos needs every proposer to draw its numbers from its own set, so that
 * two proposers never send different values under the same number: a node of rank `r` (its
 * position among the sorted ids of the cluster) in a cluster of `n` uses `round * n + r`.
 * With three nodes, n1 uses 3, 6, 9…, n2 uses 4, 7, 10…, n3 uses 5, 8, 11…
 */
export type Ballot = number;

/** A proposal an acceptor has accepted: the ballot it came with, and its value. */
export interface Proposal {
  ballot: Ballot;
  value: string;
}

/** What the nodes say to each other; the phase names are those of "Paxos Made Simple". */
export type PaxosMessage =
  /** Phase 1a, proposer → every acceptor: "promise me to accept nothing below `ballot`". */
  | { type: "prepare"; ballot: Ballot }
  /**
   * Phase 1b, acceptor → that proposer: the promise for `ballot`, with the highest-numbered
   * proposal this acceptor has accepted so far (null if none).
   */
  | { type: "promise"; ballot: Ballot; accepted: Proposal | null }
  /** Phase 2a, proposer → every acceptor: "accept `value` under `ballot`". */
  | { type: "accept"; ballot: Ballot; value: string }
  /** Phase 2b, acceptor → every learner (every node): "I accepted `value` under `ballot`". */
  | { type: "accepted"; ballot: Ballot; value: string }
  /**
   * Acceptor → proposer, for a prepare or accept below what it promised: "`ballot` is too low,
   * I promised `promised`". Paxos is safe without it; it lets the proposer give up sooner and
   * pick a ballot that can win.
   */
  | { type: "reject"; ballot: Ballot; promised: Ballot };

/** Where the acceptor keeps its state on disk. Both fields are written together, in one `set`. */
const acceptorKey = "acceptor";
/** Where the proposer keeps the last round it used. */
const roundKey = "proposer/round";
/** The timer a proposer retries on; its delay is drawn from this range each time. */
const retryTimer = "retry";
const retryDelayMsMin = 100;
const retryDelayMsMax = 300;

interface AcceptorRecord {
  promised: Ballot | null;
  accepted: Proposal | null;
}

/** What the proposer is doing with the ballot it is running now. */
type Attempt =
  | { phase: "preparing"; ballot: Ballot; promises: Map<NodeId, Proposal | null> }
  | { phase: "accepting"; ballot: Ballot; value: string };

/**
 * A node of single-decree Paxos: acceptor, proposer and learner in one. A client asks it to
 * propose a value with `propose`; tests read what it promised, accepted and learned through
 * the read-only getters.
 *
 * What the tests expect, beyond the paper:
 * - The cluster is this node and its peers; every node is an acceptor and a learner, and a
 *   majority is more than half of the cluster.
 * - Ballots are this proposer's own (see `Ballot`) and grow with every attempt, even across a
 *   crash: keep the last round in `context.storage`.
 * - The acceptor answers whoever sent the prepare or accept (`from`): some tests play proposer
 *   from a stand-in node outside the cluster, with ballots of their own choosing.
 * - The acceptor writes its promise and accepted proposal to `context.storage` before it replies,
 *   and `onStart` reads them back after a restart.
 * - The acceptor sends `accepted` to every node, itself included; a learner that hears a majority
 *   of acceptors accept the same ballot has learned the value.
 * - A proposer that has not learned a value retries with a higher ballot after a random delay
 *   (`context.randomInt`), so that dueling proposers stop pre-empting each other. On a stable
 *   network with up to 10 ms of latency, a lone proposer's value is learned by every node within
 *   500 ms; dueling proposers get one value learned by every node within 5 s.
 * - Never use Date, Math.random or setTimeout: the context has a clock, randomness and timers.
 */
export class PaxosNode implements SimulatedNode<PaxosMessage> {
  readonly #context: NodeContext<PaxosMessage>;
  /** Every node is an acceptor and a learner: the cluster is this node and its peers. */
  readonly #cluster: readonly NodeId[];
  /** How many acceptors make a majority: any two majorities share at least one acceptor. */
  readonly #majority: number;
  /** This node's position among the sorted ids, which makes its ballots its own. */
  readonly #rank: number;

  // The acceptor. Durable: a crash must not let it break a promise or forget a vote.
  #promised: Ballot | undefined;
  #accepted: Proposal | undefined;

  // The proposer. Only the round is durable: Lamport lets a proposer forget a proposal, as long
  // as it never issues the same ballot twice.
  #round = 0;
  #value: string | undefined;
  #attempt: Attempt | undefined;
  /** The highest ballot another proposer holds, as rejections report it: the next round must beat it. */
  #highestBallotSeen: Ballot = 0;

  // The learner. Volatile: a learner that restarts learns again by asking a proposer to run.
  readonly #votes = new Map<Ballot, { value: string; acceptors: Set<NodeId> }>();
  #chosen: string | undefined;

  constructor(context: NodeContext<PaxosMessage>) {
    this.#context = context;
    this.#cluster = [context.id, ...context.peers];
    this.#majority = Math.floor(this.#cluster.length / 2) + 1;
    this.#rank = [...this.#cluster].sort().indexOf(context.id);
  }

  /** The highest ballot this node's acceptor has promised (or accepted under); undefined before any. */
  get promised(): Ballot | undefined {
    return this.#promised;
  }

  /** The highest-numbered proposal this node's acceptor has accepted; undefined before any. */
  get accepted(): Readonly<Proposal> | undefined {
    return this.#accepted;
  }

  /** The value this node has learned was chosen; undefined until it learns one. */
  get chosen(): string | undefined {
    return this.#chosen;
  }

  /**
   * Asks this node to get `value` chosen. It keeps trying, with higher ballots, until it learns
   * that a value was chosen, which may be another proposer's value. A node that has already
   * learned a value, or is already proposing one, ignores the request.
   */
  propose(value: string): void {
    if (this.#chosen !== undefined) {
      this.#context.note(`not proposing "${value}": "${this.#chosen}" is already chosen`);
      return;
    }
    if (this.#value !== undefined) {
      this.#context.note(`not proposing "${value}": already proposing "${this.#value}"`);
      return;
    }
    this.#value = value;
    this.#startRound();
  }

  onStart(): void {
    const record = this.#context.storage.get<AcceptorRecord>(acceptorKey);
    this.#promised = record?.promised ?? undefined;
    this.#accepted = record?.accepted ?? undefined;
    this.#round = this.#context.storage.get<number>(roundKey) ?? 0;
  }

  onMessage(from: NodeId, message: PaxosMessage): void {
    switch (message.type) {
      case "prepare":
        return this.#onPrepare(from, message.ballot);
      case "promise":
        return this.#onPromise(from, message.ballot, message.accepted);
      case "accept":
        return this.#onAccept(from, message.ballot, message.value);
      case "accepted":
        return this.#onAccepted(from, message.ballot, message.value);
      case "reject":
        return this.#onReject(message.ballot, message.promised);
    }
  }

  onTimer(name: string): void {
    // No value learned yet: the last attempt was lost, rejected or overtaken, so try again
    // higher. A learned value ends the retries, whoever proposed it.
    if (name === retryTimer && this.#chosen === undefined && this.#value !== undefined) {
      this.#startRound();
    }
  }

  // ---------------------------------------------------------------- proposer

  #startRound(): void {
    // The new ballot must be higher than any this node used before (even before a crash, hence
    // the stored round), than any a rejection reported, and than what its own acceptor
    // promised: a lower one would only be rejected.
    const seen = Math.max(this.#highestBallotSeen, this.#promised ?? 0);
    this.#round = Math.max(this.#round, this.#roundOf(seen)) + 1;
    this.#context.storage.set(roundKey, this.#round);
    const ballot = this.#round * this.#cluster.length + this.#rank;
    this.#attempt = { phase: "preparing", ballot, promises: new Map() };
    this.#context.note(`round ${this.#round}: prepare ballot ${ballot}`);
    this.#sendToCluster({ type: "prepare", ballot });
    // Dueling proposers that retried after the same delay would pre-empt each other forever;
    // a random delay lets one of them finish both phases before the other comes back.
    this.#context.setTimer(retryTimer, this.#context.randomInt(retryDelayMsMin, retryDelayMsMax));
  }

  #onPromise(from: NodeId, ballot: Ballot, accepted: Proposal | null): void {
    const attempt = this.#attempt;
    // A promise for an older ballot (a late or duplicated reply) says nothing about this one.
    if (attempt?.phase !== "preparing" || attempt.ballot !== ballot) return;
    if (this.#value === undefined) return;
    // Keyed by acceptor, so a duplicated promise is not counted twice.
    attempt.promises.set(from, accepted);
    if (attempt.promises.size < this.#majority) return;

    // Some value may already be chosen, and if so, every majority includes an acceptor that
    // accepted it; the highest-numbered proposal among the promises carries it (or a value that
    // a later proposal already adopted from it). Only when no acceptor in this majority has
    // accepted anything is the proposer free to use its own value.
    let highest: Proposal | undefined;
    for (const proposal of attempt.promises.values()) {
      if (proposal !== null && (highest === undefined || proposal.ballot > highest.ballot)) {
        highest = proposal;
      }
    }
    const value = highest?.value ?? this.#value;
    if (highest !== undefined)
      this.#context.note(`adopting "${value}" accepted under ballot ${highest.ballot}`);
    this.#attempt = { phase: "accepting", ballot, value };
    this.#sendToCluster({ type: "accept", ballot, value });
  }

  #onReject(ballot: Ballot, promised: Ballot): void {
    this.#highestBallotSeen = Math.max(this.#highestBallotSeen, promised);
    // Lamport: a proposer that learns of a higher ballot should abandon its proposal. The retry
    // timer is still set, and its random delay is what lets dueling proposers take turns.
    if (this.#attempt?.ballot === ballot) this.#attempt = undefined;
  }

  #roundOf(ballot: Ballot): number {
    return Math.floor(ballot / this.#cluster.length);
  }

  // ---------------------------------------------------------------- acceptor

  #onPrepare(from: NodeId, ballot: Ballot): void {
    if (this.#promised !== undefined && ballot < this.#promised) {
      this.#context.send(from, { type: "reject", ballot, promised: this.#promised });
      return;
    }
    // Lamport answers only a prepare higher than any answered before; answering the same
    // ballot again (a duplicate) repeats a promise already made, so it is safe and saves a retry.
    this.#promised = ballot;
    this.#persistAcceptor();
    this.#context.send(from, { type: "promise", ballot, accepted: this.#accepted ?? null });
  }

  #onAccept(from: NodeId, ballot: Ballot, value: string): void {
    // The promise made in phase 1b: nothing below the promised ballot may be accepted.
    if (this.#promised !== undefined && ballot < this.#promised) {
      this.#context.send(from, { type: "reject", ballot, promised: this.#promised });
      return;
    }
    // Accepting a ballot implies promising it too, so `promised` never falls below `accepted`.
    this.#promised = ballot;
    this.#accepted = { ballot, value };
    this.#persistAcceptor();
    this.#sendToCluster({ type: "accepted", ballot, value });
  }

  /**
   * Writes the acceptor's state to disk before any reply leaves: a promise or vote that was
   * sent but not stored could be broken after a crash, and two values could be chosen.
   */
  #persistAcceptor(): void {
    const record: AcceptorRecord = {
      promised: this.#promised ?? null,
      accepted: this.#accepted ?? null,
    };
    this.#context.storage.set(acceptorKey, record);
  }

  // ---------------------------------------------------------------- learner

  /**
   * Learning follows Lamport's first option: every acceptor tells every learner what it
   * accepted. It costs a message from each acceptor to each node, but no node has to trust a
   * proposer's word or wait for one that may have crashed after phase 2.
   */
  #onAccepted(from: NodeId, ballot: Ballot, value: string): void {
    if (this.#chosen !== undefined) return;
    let votes = this.#votes.get(ballot);
    if (votes === undefined) {
      votes = { value, acceptors: new Set() };
      this.#votes.set(ballot, votes);
    }
    // A set of acceptors, so that a duplicated message counts once.
    votes.acceptors.add(from);
    if (votes.acceptors.size >= this.#majority) {
      this.#chosen = votes.value;
      this.#context.note(`learned "${votes.value}", chosen under ballot ${ballot}`);
      this.#attempt = undefined;
      this.#context.cancelTimer(retryTimer);
    }
  }

  /**
   * Sends to every node, this one included. The message to itself goes through the network
   * too, so one role never runs inside another's handler: the proposer, acceptor and learner on
   * a node talk to each other exactly as they talk to the other nodes.
   */
  #sendToCluster(message: PaxosMessage): void {
    for (const node of this.#cluster) this.#context.send(node, message);
  }
}
