import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 3.1 — two-phase commit with a durable log (Gray 1978), in its presumed-abort form.
 * Exercise 3.2 adds the cooperative termination protocol to the participant.
 *
 * A client asks the coordinator to run a transaction: a list of balance changes at each of
 * several participants. The coordinator asks every participant to prepare (phase one); each
 * votes yes only once it has made its changes durable and locked its accounts, so that it can
 * commit whatever happens to it next. With a yes from every participant the coordinator logs
 * COMMIT and tells them all (phase two); any no, or a vote that does not come, aborts.
 */

export type TransactionId = string;

/** One change at one participant: add `amount` (negative to withdraw) to `account`'s balance. */
export interface Write {
  account: string;
  amount: number;
}

/** What the coordinator decided. */
export type Decision = "commit" | "abort";

/** Where a participant stands in one transaction. */
export type ParticipantStatus = "prepared" | "committed" | "aborted";

/** What a participant tells a peer that asks about a transaction (exercise 3.2). */
export type PeerAnswer = "committed" | "aborted" | "prepared";

export type CommitMessage =
  /** Client → coordinator: run this transaction; `writes` says what changes at which participant. */
  | { type: "begin"; transaction: TransactionId; writes: Record<NodeId, Write[]> }
  /** Coordinator → client: the outcome, sent only once it is final. */
  | { type: "outcome"; transaction: TransactionId; outcome: "committed" | "aborted" }
  /** Phase 1, coordinator → participant: prepare these writes; `participants` names them all. */
  | { type: "prepare"; transaction: TransactionId; writes: Write[]; participants: NodeId[] }
  /** Phase 1, participant → coordinator. */
  | { type: "vote"; transaction: TransactionId; vote: "yes" | "no" }
  /** Phase 2, coordinator → participant. */
  | { type: "commit"; transaction: TransactionId }
  | { type: "abort"; transaction: TransactionId }
  /** Participant → coordinator: the decision is applied; the coordinator may stop re-sending it. */
  | { type: "ack"; transaction: TransactionId }
  /** An in-doubt participant → coordinator: what did you decide? */
  | { type: "query"; transaction: TransactionId }
  /** Exercise 3.2: an in-doubt participant → another participant of the transaction. */
  | { type: "peer-query"; transaction: TransactionId }
  /** Exercise 3.2: the answer, from what that participant knows; a peer that never voted refuses. */
  | { type: "peer-answer"; transaction: TransactionId; answer: PeerAnswer };

/**
 * The coordinator: runs the transactions clients begin, and decides each one.
 *
 * What the tests expect:
 * - On `begin`, send `prepare` to each participant named in `writes` (and to nobody else), with
 *   that participant's writes and the sorted list of all the transaction's participants.
 * - Count one yes per participant, only for the transaction it names, only until the decision.
 *   With a yes from every participant: write the commit decision to `context.storage`, then send
 *   COMMIT to every participant and `outcome` "committed" to the client (the `from` of `begin`).
 * - A no, or a vote still missing 200 ms to 1 s after the prepares left, aborts: send ABORT to
 *   the participants and "aborted" to the client. Aborts need not be logged (presumed abort).
 * - Re-send COMMIT every 100 ms or so to each participant that has not sent `ack`; once all have,
 *   the commit record may be deleted.
 * - Answer a `query` with the decision; with no record at all, answer ABORT (presumed abort);
 *   while still collecting votes, answer nothing.
 * - After a restart, the commits in storage are the coordinator's memory: re-send them.
 * - A begin arrives once per transaction; a second one for a decided transaction hears the outcome.
 */
export class Coordinator implements SimulatedNode<CommitMessage> {
  readonly #context: NodeContext<CommitMessage>;

  constructor(context: NodeContext<CommitMessage>) {
    // Keep the context; add the fields you need (what is not in storage is lost on a crash).
    this.#context = context;
  }

  /**
   * What this coordinator has decided for `transaction`: "commit" or "abort" once decided (a
   * commit from its log after a restart), undefined while undecided or when it has no record.
   */
  decision(transaction: TransactionId): Decision | undefined {
    return todo("3.1", `return what the coordinator decided for ${transaction}, or undefined`);
  }

  /** Runs at the start and after every restart: read back the logged commits and re-send them. */
  onStart(): void {
    todo(
      "3.1",
      `restore ${this.#context.id}'s logged commit decisions from context.storage and send them again`,
    );
  }

  /** Handles begin, vote, ack and query; other messages are not for the coordinator. */
  onMessage(from: NodeId, message: CommitMessage): void {
    todo(
      "3.1",
      `handle a ${message.type} from ${from}: begin → prepare, vote → count or decide, ack → stop re-sending, query → answer`,
    );
  }

  /** Your timers: a vote timeout per transaction, and re-sending COMMIT until acknowledged. */
  onTimer(name: string): void {
    todo("3.1", `timer "${name}": abort if votes are missing; re-send an unacknowledged COMMIT`);
  }
}

/** Options for a participant: the balances its accounts start with, the first time it starts. */
export interface ParticipantOptions {
  balances: Record<string, number>;
  /** Exercise 3.2: ask the other participants when the coordinator does not answer. @default false */
  termination?: boolean;
}

/**
 * A participant: holds accounts in its durable store, votes on the transactions it is asked to
 * prepare, and applies what the coordinator decides.
 *
 * What the tests expect:
 * - The first start (nothing in storage yet) stores `options.balances`; a restart keeps what is
 *   stored.
 * - On `prepare`: vote no if an account's balance plus the sum of the transaction's changes to
 *   it would go below zero, or if another prepared transaction holds a lock on one of its
 *   accounts (no waiting). Otherwise write "prepared" (with the writes, the coordinator — the
 *   `from` of the prepare — and the participants) to storage, lock the accounts, then vote yes.
 * - A prepare for a transaction it already has a record of repeats the vote (no for aborted,
 *   yes otherwise) and takes no new locks.
 * - COMMIT of a prepared transaction applies its writes to the balances, releases its locks and
 *   is acknowledged with `ack`; ABORT releases the locks and changes nothing. A decision for a
 *   transaction that is not prepared changes nothing (but a repeated COMMIT is acknowledged again).
 * - A prepared participant never decides on its own: it sends `query` to the coordinator, and
 *   again every few hundred ms until it knows. After a restart, it takes back the locks of its
 *   prepared transactions and asks again.
 * - `termination` (exercise 3.2) stays off in the tests of 3.1.
 */
export class Participant implements SimulatedNode<CommitMessage> {
  readonly #context: NodeContext<CommitMessage>;
  readonly #options: ParticipantOptions;

  constructor(context: NodeContext<CommitMessage>, options: ParticipantOptions) {
    this.#context = context;
    this.#options = options;
  }

  /** The committed balance of `account` (0 for an account this participant has never seen). */
  balance(account: string): number {
    return todo("3.1", `return the committed balance of ${account}, read from context.storage`);
  }

  /** Where this participant stands in `transaction`; undefined if it has no record of it. */
  status(transaction: TransactionId): ParticipantStatus | undefined {
    return todo("3.1", `return prepared, committed or aborted for ${transaction}, or undefined`);
  }

  /** The accounts locked right now, each with the transaction holding it. */
  get locks(): ReadonlyMap<string, TransactionId> {
    return todo("3.1", "return the accounts locked by prepared transactions");
  }

  /** Runs at the start and after every restart. */
  onStart(): void {
    todo(
      "3.1",
      `store the initial balances (${Object.keys(this.#options.balances).join(", ")}) on the first start; after a restart, take back the locks of prepared transactions and ask their outcome`,
    );
  }

  /** Handles prepare, commit and abort (3.1), and peer-query and peer-answer (3.2). */
  onMessage(from: NodeId, message: CommitMessage): void {
    if (message.type === "peer-query" || message.type === "peer-answer") {
      todo(
        "3.2",
        `handle a ${message.type} from ${from}: answer from what you know, or decide from what a peer knows`,
      );
    }
    todo("3.1", `handle a ${message.type} from ${from}: vote on a prepare, apply a decision once`);
  }

  /** Your timers: an in-doubt participant asks again. */
  onTimer(name: string): void {
    todo("3.1", `timer "${name}": still prepared? ask the coordinator (and, in 3.2, the peers)`);
  }
}
