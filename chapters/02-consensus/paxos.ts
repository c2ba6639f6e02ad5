import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

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

  constructor(context: NodeContext<PaxosMessage>) {
    // Keep the context; add the fields your node needs (what is not in storage is lost on a crash).
    this.#context = context;
  }

  /** The highest ballot this node's acceptor has promised (or accepted under); undefined before any. */
  get promised(): Ballot | undefined {
    return todo("2.1", "return the highest ballot this node's acceptor has promised, or undefined");
  }

  /** The highest-numbered proposal this node's acceptor has accepted; undefined before any. */
  get accepted(): Readonly<Proposal> | undefined {
    return todo("2.1", "return the proposal this node's acceptor last accepted, or undefined");
  }

  /** The value this node has learned was chosen; undefined until it learns one. */
  get chosen(): string | undefined {
    return todo("2.1", "return the value this node's learner learned was chosen, or undefined");
  }

  /**
   * Asks this node to get `value` chosen. It keeps trying, with higher ballots, until it learns
   * that a value was chosen, which may be another proposer's value. A node that has already
   * learned a value, or is already proposing one, ignores the request.
   */
  propose(value: string): void {
    todo(
      "2.1",
      `phase 1a: remember "${value}", pick a ballot higher than any used or seen, send prepare to every node and set a retry timer`,
    );
  }

  /** Runs at the start and after every restart: read back what the acceptor and proposer stored. */
  onStart(): void {
    todo(
      "2.1",
      `restore ${this.#context.id}'s promise, accepted proposal and last round from context.storage`,
    );
  }

  /** Handles the five messages: see each one's comment on `PaxosMessage` for what to do. */
  onMessage(from: NodeId, message: PaxosMessage): void {
    todo("2.1", `handle a ${message.type} from ${from} (see PaxosMessage for what each one asks)`);
  }

  /** The retry timer: no value learned yet, so start again with a higher ballot. */
  onTimer(name: string): void {
    todo("2.1", `timer "${name}": if no value is learned yet, retry with a higher ballot`);
  }
}
